<?php
/**
 * Any user meta over REST, by exact key: what the `usermesh` field and the usermesh/v1 meta routes
 * read and write. WordPress's own `meta` field shows only keys registered with show_in_rest and
 * silently drops the rest, so plugins' meta (WooCommerce's billing_* among them) could not be synced.
 *
 * Values travel as strings. A stored array or object is left out of what is read: it has no single
 * string form usermesh could copy faithfully, and writing it back as a string would change its type.
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Meta {

    /** The longest key WordPress's usermeta.meta_key column holds. */
    const MAX_KEY = 255;

    /**
     * The keys asked for: "a,b" (the query parameter) or a list; trimmed, empty ones and repeats dropped.
     *
     * @return string[]
     */
    public static function requested_keys($param) {
        if ($param === null || $param === '') {
            return array();
        }
        $parts = is_array($param) ? $param : explode(',', (string) $param);
        $keys = array();
        foreach ($parts as $part) {
            if (!is_scalar($part)) {
                continue;
            }
            $key = trim((string) $part);
            if ($key !== '' && !in_array($key, $keys, true)) {
                $keys[] = $key;
            }
        }
        return $keys;
    }

    /**
     * The user's values for these keys, as strings: only keys the user has, never a never-synced key,
     * no arrays or objects. Always a JSON object ({} when empty, and never a list for keys like "0").
     */
    public static function read($user_id, array $keys) {
        $meta = array();
        foreach ($keys as $key) {
            $key = (string) $key;
            if (Usermesh_Keys::never_synced($key) || !metadata_exists('user', (int) $user_id, $key)) {
                continue;
            }
            $value = get_user_meta((int) $user_id, $key, true);
            if (is_scalar($value)) {
                $meta[$key] = (string) $value;
            }
        }
        return (object) $meta;
    }

    /**
     * Checks a whole change before any of it is written: a never-synced key or a value that is not a
     * string or null fails it all. Messages name the key, never the value.
     *
     * @return true|WP_Error
     */
    public static function validate($meta) {
        if (is_object($meta)) {
            $meta = get_object_vars($meta);
        }
        if (!is_array($meta)) {
            return new WP_Error('usermesh_meta_invalid', 'meta must be an object of key: string or null.', array('status' => 400));
        }
        foreach ($meta as $key => $value) {
            $key = (string) $key;
            if ($key === '' || strlen($key) > self::MAX_KEY) {
                return new WP_Error('usermesh_meta_refused', 'A meta key must have 1 to 255 characters.', array('status' => 400));
            }
            if (Usermesh_Keys::never_synced($key)) {
                return new WP_Error('usermesh_meta_refused',
                    sprintf('The meta key %s is never synced by usermesh.', $key), array('status' => 400, 'key' => $key));
            }
            if ($value !== null && !is_string($value)) {
                return new WP_Error('usermesh_meta_invalid',
                    sprintf('The value of meta key %s must be a string or null.', $key), array('status' => 400, 'key' => $key));
            }
        }
        return true;
    }

    /**
     * Writes a validated change: a string is stored, null deletes the key. Slashed first because
     * update_user_meta unslashes, which would eat the backslashes of a value like "C:\dir".
     *
     * @return string[] the keys written
     */
    public static function write($user_id, $meta) {
        if (is_object($meta)) {
            $meta = get_object_vars($meta);
        }
        $written = array();
        foreach ($meta as $key => $value) {
            $key = (string) $key;
            if ($value === null) {
                delete_user_meta((int) $user_id, wp_slash($key));
            } else {
                update_user_meta((int) $user_id, wp_slash($key), wp_slash($value));
            }
            $written[] = $key;
        }
        return $written;
    }

    /**
     * Validates then writes; answers the written keys as now stored (null for a deleted key, so the
     * caller sees the delete took).
     *
     * @return object|WP_Error
     */
    public static function apply($user_id, $meta) {
        $valid = self::validate($meta);
        if (is_wp_error($valid)) {
            return $valid;
        }
        return self::stored($user_id, self::write($user_id, $meta));
    }

    /** The written keys as now stored: the string value, or null where the key is gone. */
    public static function stored($user_id, array $keys) {
        $now = (array) self::read($user_id, $keys);
        $answer = array();
        foreach ($keys as $key) {
            $answer[$key] = array_key_exists($key, $now) ? $now[$key] : null;
        }
        return (object) $answer;
    }
}

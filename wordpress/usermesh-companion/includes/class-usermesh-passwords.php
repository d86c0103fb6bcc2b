<?php
/**
 * Passwords without plaintext: usermesh copies the stored hash from site to site, so a person keeps
 * one password everywhere and usermesh never sees it.
 *
 * - A digest tells usermesh that a password changed without telling it anything else.
 * - A hash is set as it is (no rehash), after its format is checked, and the user's sessions end,
 *   as they would after a password change made on this site.
 * - WordPress 6.8 writes "$wp$2y$…" hashes that 6.1 to 6.7 cannot verify; the check_password filter
 *   verifies them there, so a hash copied from a 6.8 site signs in everywhere. 6.8 verifies the older
 *   phpass "$P$" hashes itself (and "$H$" with the filter's help).
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Passwords {

    /** The hash formats WordPress 6.1 to 6.8+ verify, some with the check_password filter below. */
    const FORMATS = array(
        'phpass' => '/^\$[PH]\$[.\/0-9A-Za-z]{31}$/',
        // WordPress 6.8: "$wp" and bcrypt of base64(HMAC-SHA384(password, "wp-sha384"))
        'wordpress-bcrypt' => '/^\$wp\$2y\$[0-9]{2}\$[.\/0-9A-Za-z]{53}$/',
        'bcrypt' => '/^\$2[aby]\$[0-9]{2}\$[.\/0-9A-Za-z]{53}$/',
        'argon2' => '/^\$argon2id?\$v=[0-9]+\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+\/]+\$[A-Za-z0-9+\/]+$/',
    );
    /** wp_users.user_pass is a varchar(255). */
    const MAX_HASH = 255;

    public static function boot() {
        add_filter('check_password', array(__CLASS__, 'check_password'), 10, 4);
    }

    /**
     * 16 hex characters that change when the hash changes. Keyed with this site's auth salt, so it
     * cannot be matched against a hash seen elsewhere, and short, so it can be compared, not cracked.
     */
    public static function digest($user_pass) {
        return substr(hash_hmac('sha256', (string) $user_pass, wp_salt('auth')), 0, 16);
    }

    /**
     * The user's digest, read fresh: in the answer to a create or update the field is read after the
     * same request changed the password, and every writer (wp_set_password, set_hash) cleans the cache.
     */
    public static function digest_of($user_id) {
        $user = get_userdata((int) $user_id);
        return $user ? self::digest($user->user_pass) : null;
    }

    public static function valid_hash($hash) {
        if (!is_string($hash) || $hash === '' || strlen($hash) > self::MAX_HASH) {
            return false;
        }
        foreach (self::FORMATS as $regex) {
            if (preg_match($regex, $hash) === 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * The error for a hash in no known format. It never contains the value: error messages end up in
     * logs and in usermesh's audit.
     */
    public static function bad_hash() {
        return new WP_Error('usermesh_bad_hash',
            'The password hash is not in a format WordPress verifies (phpass $P$, WordPress 6.8 $wp$2y$, bcrypt, Argon2).',
            array('status' => 400));
    }

    /**
     * Stores a hash as it is, as wp_set_password does but without hashing again, and ends the user's
     * sessions. No "password changed" mail: wp_update_user is not involved. The change is pushed
     * unless usermesh itself made it.
     *
     * @return true|WP_Error
     */
    public static function set_hash($user_id, $hash) {
        global $wpdb;
        if (!self::valid_hash($hash)) {
            return self::bad_hash();
        }
        $user_id = (int) $user_id;
        $updated = $wpdb->update($wpdb->users, array('user_pass' => $hash, 'user_activation_key' => ''), array('ID' => $user_id));
        if ($updated === false) {
            return new WP_Error('usermesh_db_error', 'The password hash could not be stored.', array('status' => 500));
        }
        clean_user_cache($user_id);
        WP_Session_Tokens::get_instance($user_id)->destroy_all();
        Usermesh_Push::updated($user_id);
        return true;
    }

    /**
     * Lets every WordPress verify every format set_hash accepts, the way the version that writes it
     * does (6.8's wp-includes/pluggable.php, wp_check_password). Only ever turns a "no" into a "yes",
     * and only when the stored hash verifies.
     *
     * - before 6.8: "$wp$2y$…" (6.8's own) and Argon2, which 6.1's phpass cannot check;
     * - 6.8 and later: phpass "$H$", which 6.8 hands to password_verify instead of phpass.
     *
     * What WordPress verifies itself is not checked again: that would only double the cost of a wrong password.
     */
    public static function check_password($check, $password, $hash, $user_id = '') {
        if ($check || !is_string($hash) || !is_string($password) || strlen($password) > 4096) {
            return $check;
        }
        $wp68 = function_exists('wp_password_needs_rehash'); // new in 6.8, with the $wp$ hashes
        if (!$wp68 && strpos($hash, '$wp$') === 0) {
            return password_verify(base64_encode(hash_hmac('sha384', $password, 'wp-sha384', true)), substr($hash, 3));
        }
        if (!$wp68 && strpos($hash, '$argon2') === 0) {
            return password_verify($password, $hash);
        }
        if ($wp68 && strpos($hash, '$H$') === 0) {
            if (!class_exists('PasswordHash')) {
                require_once ABSPATH . WPINC . '/class-phpass.php';
            }
            return (new PasswordHash(8, true))->CheckPassword($password, $hash);
        }
        return $check;
    }
}

<?php
/**
 * The user meta keys usermesh never reads, writes or pushes, whatever a request or the settings
 * page asks: one list, used by the REST field, the meta routes and the push allow-list.
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Keys {

    /**
     * Logins and application passwords are per site (copying them would sign a person in, or let a
     * client in, where they never signed in); the two flags are per site by their meaning.
     */
    const NEVER = array('session_tokens', '_application_passwords', 'usermesh_propagation_off', 'usermesh_protected');

    /**
     * Whether a key is never synced. Keys under this site's table prefix (wp_capabilities,
     * wp_user_level, wp_user-settings, …) are roles and screen settings of one blog; any key ending in
     * "capabilities" or "user_level" is the same for another blog's prefix in a multisite, so copying
     * it would grant roles behind WordPress's back.
     */
    public static function never_synced($key) {
        global $wpdb;
        $key = (string) $key;
        if (in_array($key, self::NEVER, true)) {
            return true;
        }
        $prefixes = array();
        if (isset($wpdb) && is_object($wpdb)) {
            if (method_exists($wpdb, 'get_blog_prefix')) {
                $prefixes[] = (string) $wpdb->get_blog_prefix();
            }
            if (isset($wpdb->base_prefix)) {
                $prefixes[] = (string) $wpdb->base_prefix;
            }
        }
        foreach ($prefixes as $prefix) {
            // an empty table prefix is allowed by WordPress and would otherwise match every key
            if ($prefix !== '' && strpos($key, $prefix) === 0) {
                return true;
            }
        }
        return self::ends_with($key, 'capabilities') || self::ends_with($key, 'user_level');
    }

    private static function ends_with($key, $suffix) {
        return strlen($key) >= strlen($suffix) && substr($key, -strlen($suffix)) === $suffix;
    }
}

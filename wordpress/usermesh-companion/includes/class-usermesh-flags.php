<?php
/**
 * A user's two sync flags, kept per site as user meta (never synced themselves):
 *
 * - usermesh_propagation_off = '1': this site's changes to the user are not sent to other sites;
 * - usermesh_protected = '1': changes from other sites never modify the user here.
 *
 * The plugin only stores and shows them; usermesh reads them through the `usermesh` REST field and
 * decides. Absent meta means the defaults (propagation on, not protected), so a site without the
 * plugin and a user nobody touched behave alike.
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Flags {

    const PROPAGATION_OFF = 'usermesh_propagation_off';
    const PROTECTED_KEY = 'usermesh_protected';

    /** @return array{propagation:bool,protected:bool} */
    public static function read($user_id) {
        return array(
            'propagation' => (string) get_user_meta((int) $user_id, self::PROPAGATION_OFF, true) !== '1',
            'protected' => (string) get_user_meta((int) $user_id, self::PROTECTED_KEY, true) === '1',
        );
    }

    /**
     * Both parts optional, each a boolean: "false" or 0 are refused rather than guessed at.
     *
     * @return true|WP_Error
     */
    public static function validate($flags) {
        if (is_object($flags)) {
            $flags = get_object_vars($flags);
        }
        if (!is_array($flags)) {
            return new WP_Error('usermesh_flags_invalid', 'flags must be an object.', array('status' => 400));
        }
        foreach (array('propagation', 'protected') as $name) {
            if (array_key_exists($name, $flags) && !is_bool($flags[$name])) {
                return new WP_Error('usermesh_flags_invalid', sprintf('flags.%s must be true or false.', $name), array('status' => 400));
            }
        }
        return true;
    }

    /** Writes the parts given; the default state is stored as no meta at all. */
    public static function write($user_id, $flags) {
        if (is_object($flags)) {
            $flags = get_object_vars($flags);
        }
        if (array_key_exists('propagation', $flags)) {
            self::set((int) $user_id, self::PROPAGATION_OFF, !$flags['propagation']);
        }
        if (array_key_exists('protected', $flags)) {
            self::set((int) $user_id, self::PROTECTED_KEY, (bool) $flags['protected']);
        }
    }

    private static function set($user_id, $key, $on) {
        if ($on) {
            update_user_meta($user_id, $key, '1');
        } else {
            delete_user_meta($user_id, $key);
        }
    }
}

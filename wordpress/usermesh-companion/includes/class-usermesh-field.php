<?php
/**
 * The `usermesh` field on WordPress's users endpoints (context=edit only): what usermesh reads with
 * every user it lists, and writes with every user it creates or updates, so it needs no extra request
 * per user.
 *
 * Read:  {"version":"0.3.0","password":"<digest>","meta":{…},"flags":{"propagation":true,"protected":false}}
 *        meta holds the keys named in the request parameter usermesh_meta=a,b (Usermesh_Meta::read).
 * Write: {"meta":{"key":"value"|null},"flags":{"propagation":bool,"protected":bool},"password_hash":"…"},
 *        each part optional; all parts are checked before any is written. An update may also carry
 *        "expect" (the values usermesh last saw), checked before anything is written: Usermesh_Expect.
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Field {

    const NAME = 'usermesh';

    public static function boot() {
        add_action('rest_api_init', array(__CLASS__, 'register'));
    }

    public static function register() {
        $edit = array('edit');
        register_rest_field('user', self::NAME, array(
            'get_callback' => array(__CLASS__, 'get'),
            'update_callback' => array(__CLASS__, 'update'),
            'schema' => array(
                'description' => 'usermesh: password digest, requested meta (usermesh_meta=a,b) and sync flags; write meta, flags, password_hash.',
                'type' => 'object',
                'context' => $edit,
                'properties' => array(
                    'version' => array('type' => 'string', 'context' => $edit, 'readonly' => true),
                    'password' => array('type' => 'string', 'context' => $edit, 'readonly' => true),
                    'meta' => array('type' => 'object', 'context' => $edit,
                        'additionalProperties' => array('type' => array('string', 'null'))),
                    'flags' => array('type' => 'object', 'context' => $edit, 'properties' => array(
                        'propagation' => array('type' => 'boolean'),
                        'protected' => array('type' => 'boolean'),
                    )),
                    'password_hash' => array('type' => 'string', 'context' => $edit),
                    // checked before the update by Usermesh_Expect, never written
                    'expect' => array('type' => 'object', 'context' => $edit),
                ),
            ),
        ));
    }

    /** Readers who may list and edit users; null for anyone else (the field stays in the schema). */
    public static function readable() {
        return current_user_can('edit_users') && current_user_can('list_users');
    }

    public static function get($user, $field_name = self::NAME, $request = null, $object_type = 'user') {
        if (!self::readable()) {
            return null;
        }
        $id = (int) (is_array($user) ? ($user['id'] ?? 0) : (is_object($user) ? ($user->ID ?? ($user->id ?? 0)) : 0));
        if ($id <= 0) {
            return null;
        }
        $keys = is_object($request) ? Usermesh_Meta::requested_keys($request->get_param('usermesh_meta')) : array();
        return array(
            'version' => Usermesh_Push::VERSION,
            'password' => Usermesh_Passwords::digest_of($id),
            'meta' => Usermesh_Meta::read($id, $keys),
            'flags' => Usermesh_Flags::read($id),
        );
    }

    /**
     * Meta and flags need edit_users and edit_user; a password hash needs an administrator
     * (manage_options), as the password route does. Nothing is written unless everything given is valid.
     *
     * @return true|WP_Error
     */
    public static function update($value, $user, $field_name = self::NAME, $request = null, $object_type = 'user') {
        $id = (int) (is_object($user) ? $user->ID : $user);
        $value = is_object($value) ? get_object_vars($value) : $value;
        if (!is_array($value)) {
            return new WP_Error('usermesh_invalid', 'usermesh must be an object.', array('status' => 400));
        }
        $hash = array_key_exists('password_hash', $value) ? $value['password_hash'] : null;
        if (!current_user_can('edit_users') || !current_user_can('edit_user', $id)
                || ($hash !== null && !current_user_can('manage_options'))) {
            return new WP_Error('usermesh_forbidden', 'You may not change usermesh fields of this user.',
                array('status' => is_user_logged_in() ? 403 : 401));
        }
        $checks = array();
        if (array_key_exists('meta', $value)) {
            $checks[] = Usermesh_Meta::validate($value['meta']);
        }
        if (array_key_exists('flags', $value)) {
            $checks[] = Usermesh_Flags::validate($value['flags']);
        }
        if ($hash !== null && !Usermesh_Passwords::valid_hash($hash)) {
            $checks[] = Usermesh_Passwords::bad_hash();
        }
        foreach ($checks as $check) {
            if (is_wp_error($check)) {
                return $check;
            }
        }
        if (array_key_exists('meta', $value)) {
            Usermesh_Meta::write($id, $value['meta']);
        }
        if (array_key_exists('flags', $value)) {
            Usermesh_Flags::write($id, $value['flags']);
        }
        if ($hash !== null) {
            return Usermesh_Passwords::set_hash($id, $hash);
        }
        return true;
    }
}

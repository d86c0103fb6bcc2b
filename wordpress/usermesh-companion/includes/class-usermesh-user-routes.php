<?php
/**
 * usermesh/v1 routes on one user, for administrators only (manage_options and edit_user):
 *
 *   GET      users/{id}/password   → {"hash":"<user_pass>","digest":"<digest>"}   (Cache-Control: no-store)
 *   PUT|POST users/{id}/password   {"hash":"…"} → {"digest":"<digest>"}
 *   GET      users/{id}/meta?keys=a,b → {"meta":{…}}
 *   PUT|POST users/{id}/meta       {"meta":{"key":"value"|null}} → {"meta":{the written keys as now stored}}
 *
 * The hash is the one thing this plugin hands out that WordPress never does: it goes only to an
 * administrator of this site, is never cached, and is never put in a log or an error.
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_User_Routes {

    const NS = 'usermesh/v1';

    public static function boot() {
        add_action('rest_api_init', array(__CLASS__, 'routes'));
    }

    public static function routes() {
        $id = array('id' => array('type' => 'integer', 'minimum' => 1));
        register_rest_route(self::NS, '/users/(?P<id>\d+)/password', array(
            array(
                'methods' => 'GET',
                'callback' => array(__CLASS__, 'get_password'),
                'permission_callback' => array(__CLASS__, 'allowed'),
                'args' => $id,
            ),
            array(
                'methods' => 'PUT, POST',
                'callback' => array(__CLASS__, 'set_password'),
                'permission_callback' => array(__CLASS__, 'allowed'),
                'args' => $id + array('hash' => array('type' => 'string', 'required' => true)),
            ),
        ));
        register_rest_route(self::NS, '/users/(?P<id>\d+)/meta', array(
            array(
                'methods' => 'GET',
                'callback' => array(__CLASS__, 'get_meta'),
                'permission_callback' => array(__CLASS__, 'allowed'),
                'args' => $id + array('keys' => array('type' => 'string')),
            ),
            array(
                'methods' => 'PUT, POST',
                'callback' => array(__CLASS__, 'set_meta'),
                'permission_callback' => array(__CLASS__, 'allowed'),
                'args' => $id + array('meta' => array('type' => 'object', 'required' => true)),
            ),
        ));
    }

    /**
     * Administrators only. Someone who is not one learns nothing, not even whether the user exists;
     * an administrator asking for a missing user gets a 404.
     */
    public static function allowed($request) {
        if (!current_user_can('manage_options')) {
            return false;
        }
        $id = (int) $request['id'];
        if (!get_userdata($id)) {
            return new WP_Error('usermesh_no_user', 'No such user.', array('status' => 404));
        }
        return current_user_can('edit_user', $id);
    }

    public static function get_password($request) {
        $user = get_userdata((int) $request['id']);
        $response = new WP_REST_Response(array(
            'hash' => (string) $user->user_pass,
            'digest' => Usermesh_Passwords::digest($user->user_pass),
        ));
        return self::no_store($response);
    }

    public static function set_password($request) {
        $id = (int) $request['id'];
        $result = Usermesh_Passwords::set_hash($id, $request['hash']);
        if (is_wp_error($result)) {
            return $result;
        }
        return self::no_store(new WP_REST_Response(array('digest' => Usermesh_Passwords::digest_of($id))));
    }

    /**
     * Cache-Control: no-store on a password answer. WordPress sends its no-cache headers for signed-in
     * requests after the response's own, and before 6.8 they lack no-store, so it goes in through them too.
     */
    private static function no_store($response) {
        $response->header('Cache-Control', 'no-store');
        add_filter('nocache_headers', array(__CLASS__, 'nocache_headers'));
        return $response;
    }

    public static function nocache_headers($headers) {
        $cache = isset($headers['Cache-Control']) ? (string) $headers['Cache-Control'] : '';
        if (stripos($cache, 'no-store') === false) {
            $headers['Cache-Control'] = $cache === '' ? 'no-store' : $cache . ', no-store';
        }
        return $headers;
    }

    public static function get_meta($request) {
        return array('meta' => Usermesh_Meta::read((int) $request['id'], Usermesh_Meta::requested_keys($request['keys'])));
    }

    public static function set_meta($request) {
        $meta = Usermesh_Meta::apply((int) $request['id'], $request['meta']);
        return is_wp_error($meta) ? $meta : array('meta' => $meta);
    }
}

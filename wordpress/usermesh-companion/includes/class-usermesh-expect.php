<?php
/**
 * A compare-and-set for usermesh's updates: an update of /wp/v2/users/{id} may carry, in its
 * `usermesh` field, `expect`: the values usermesh last saw of each field it is about to overwrite
 * ({"email":…, "roles":[…], "meta":{"billing_city":…|null}, "protected":false}). When the user holds
 * something else (changed on this site since usermesh last listed it), the update is refused with
 * 409 before anything is written, and usermesh records a conflict instead of overwriting the later
 * change. This lets usermesh update a user with one request and no read before it.
 *
 * The check runs before WordPress's own permission check, so it answers only a caller who may edit
 * the user; anyone else gets WordPress's usual refusal and learns nothing about the user's values.
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Expect {

    const ROUTE = '#^/wp/v2/users/(\d+)$#';

    /** REST field => the WP_User property REST shows it from (WP_REST_Users_Controller::prepare_item_for_response). */
    const PROFILE = array(
        'email' => 'user_email',
        'name' => 'display_name',
        'first_name' => 'first_name',
        'last_name' => 'last_name',
        'nickname' => 'nickname',
        'url' => 'user_url',
        'description' => 'description',
    );

    public static function boot() {
        add_filter('rest_request_before_callbacks', array(__CLASS__, 'check'), 10, 3);
    }

    /**
     * @return mixed the filtered response untouched, or a WP_Error (409) naming the fields that changed
     */
    public static function check($response, $handler, $request) {
        if (is_wp_error($response) || !in_array($request->get_method(), array('POST', 'PUT', 'PATCH'), true)
                || !preg_match(self::ROUTE, (string) $request->get_route(), $match)) {
            return $response;
        }
        $field = $request->get_param(Usermesh_Field::NAME);
        $field = is_object($field) ? get_object_vars($field) : $field;
        if (!is_array($field) || !isset($field['expect'])) {
            return $response;
        }
        $id = (int) $match[1];
        $user = get_userdata($id);
        if (!$user || !current_user_can('edit_users') || !current_user_can('edit_user', $id)) {
            return $response; // WordPress answers these (404, 401, 403) as usual
        }
        $expect = is_object($field['expect']) ? get_object_vars($field['expect']) : $field['expect'];
        if (!is_array($expect)) {
            return new WP_Error('usermesh_invalid', 'usermesh.expect must be an object.', array('status' => 400));
        }
        if (array_key_exists('protected', $expect) && Usermesh_Flags::read($id)['protected'] && !$expect['protected']) {
            return new WP_Error('usermesh_protected', 'Sync protection is on for this user.', array('status' => 409));
        }
        $changed = self::changed($user, $expect);
        if ($changed) {
            return new WP_Error('usermesh_conflict', 'The user changed on this site since usermesh last saw it: '
                . implode(', ', $changed) . '.', array('status' => 409));
        }
        return $response;
    }

    /**
     * The names of the expected fields whose value differs now (emails without case, roles as a set,
     * meta as the strings Usermesh_Meta reads, null for a key the user lacks).
     *
     * @return string[]
     */
    public static function changed($user, array $expect) {
        $changed = array();
        foreach (self::PROFILE as $field => $property) {
            if (!array_key_exists($field, $expect)) {
                continue;
            }
            $now = (string) $user->$property;
            $was = (string) $expect[$field];
            if ($field === 'email' ? strtolower($now) !== strtolower($was) : $now !== $was) {
                $changed[] = $field;
            }
        }
        if (array_key_exists('roles', $expect)) {
            $now = array_values((array) $user->roles);
            $was = array_map('strval', (array) $expect['roles']);
            sort($now);
            sort($was);
            if ($now !== $was) {
                $changed[] = 'roles';
            }
        }
        $meta = isset($expect['meta']) ? (is_object($expect['meta']) ? get_object_vars($expect['meta']) : (array) $expect['meta']) : array();
        if ($meta) {
            $now = get_object_vars(Usermesh_Meta::read($user->ID, array_map('strval', array_keys($meta))));
            foreach ($meta as $key => $was) {
                $key = (string) $key;
                if (($now[$key] ?? null) !== ($was === null ? null : (string) $was)) {
                    $changed[] = 'meta ' . $key;
                }
            }
        }
        return $changed;
    }
}

<?php
/**
 * The two sync flags as checkboxes on the user profile screens (Users → Profile and Users → Edit),
 * for whoever may edit users: a section "usermesh" with
 *
 *   usermesh_propagation_off  checked = this site's changes to the user are not sent to other sites
 *   usermesh_protected        checked = changes from other sites never modify the user here
 *
 * saved with the nonce usermesh_flags (field usermesh_flags_nonce).
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Profile {

    const NONCE = 'usermesh_flags';
    const NONCE_FIELD = 'usermesh_flags_nonce';

    public static function boot() {
        add_action('show_user_profile', array(__CLASS__, 'render'));
        add_action('edit_user_profile', array(__CLASS__, 'render'));
        add_action('personal_options_update', array(__CLASS__, 'save'));
        add_action('edit_user_profile_update', array(__CLASS__, 'save'));
    }

    public static function render($user) {
        if (!is_object($user) || !current_user_can('edit_users')) {
            return;
        }
        $flags = Usermesh_Flags::read($user->ID);
        echo '<h2>usermesh</h2><table class="form-table" role="presentation"><tr><th scope="row">Sync</th><td>';
        wp_nonce_field(self::NONCE, self::NONCE_FIELD);
        echo '<fieldset>';
        echo '<label for="usermesh_propagation_off"><input type="checkbox" name="usermesh_propagation_off" id="usermesh_propagation_off" value="1"'
            . ($flags['propagation'] ? '' : ' checked="checked"') . '> '
            . esc_html__("Sync propagation: don't send this user's changes to other sites", 'usermesh') . '</label><br>';
        echo '<label for="usermesh_protected"><input type="checkbox" name="usermesh_protected" id="usermesh_protected" value="1"'
            . ($flags['protected'] ? ' checked="checked"' : '') . '> '
            . esc_html__('Sync protection: changes from other sites never modify this user', 'usermesh') . '</label>';
        echo '</fieldset></td></tr></table>';
    }

    /**
     * An unticked checkbox is not posted at all, so the section's nonce is what says the form had the
     * boxes: without it (someone who cannot edit users saving their own profile) nothing changes.
     */
    public static function save($user_id) {
        $user_id = (int) $user_id;
        if (!isset($_POST[self::NONCE_FIELD])
                || !wp_verify_nonce(sanitize_text_field(wp_unslash($_POST[self::NONCE_FIELD])), self::NONCE)) {
            return;
        }
        if (!current_user_can('edit_users') || !current_user_can('edit_user', $user_id)) {
            return;
        }
        Usermesh_Flags::write($user_id, array(
            'propagation' => empty($_POST['usermesh_propagation_off']),
            'protected' => !empty($_POST['usermesh_protected']),
        ));
    }
}

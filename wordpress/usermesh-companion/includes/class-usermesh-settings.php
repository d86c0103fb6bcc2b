<?php
/**
 * Where pushes go and how they are signed: the wp-config constants USERMESH_HOOK_URL and
 * USERMESH_HOOK_SECRET win; otherwise the same fields on Settings → usermesh (options
 * usermesh_hook_url, usermesh_hook_secret). The secret is never shown back, on the page or over REST.
 * GET/POST usermesh/v1/settings (administrators only) read and set them for usermesh's `check` and tests.
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Settings {

    const PAGE = 'usermesh';

    public static function boot() {
        add_action('admin_menu', array(__CLASS__, 'menu'));
        add_action('admin_init', array(__CLASS__, 'register'));
        add_action('rest_api_init', array(__CLASS__, 'routes'));
    }

    /** @return array{url:string,secret:string,fromConstants:bool} */
    public static function current() {
        $constants = defined('USERMESH_HOOK_URL') && defined('USERMESH_HOOK_SECRET');
        return array(
            'url' => trim((string) ($constants ? USERMESH_HOOK_URL : get_option('usermesh_hook_url', ''))),
            'secret' => (string) ($constants ? USERMESH_HOOK_SECRET : get_option('usermesh_hook_secret', '')),
            'fromConstants' => $constants,
        );
    }

    public static function menu() {
        add_options_page('usermesh', 'usermesh', 'manage_options', self::PAGE, array(__CLASS__, 'page'));
    }

    public static function register() {
        register_setting(self::PAGE, 'usermesh_hook_url', array(
            'type' => 'string',
            'sanitize_callback' => array(__CLASS__, 'sanitize_url'),
        ));
        register_setting(self::PAGE, 'usermesh_hook_secret', array(
            'type' => 'string',
            'sanitize_callback' => array(__CLASS__, 'sanitize_secret'),
        ));
        register_setting(self::PAGE, 'usermesh_meta_keys', array(
            'type' => 'string',
            'sanitize_callback' => 'sanitize_text_field',
        ));
    }

    public static function sanitize_url($url) {
        $url = esc_url_raw(trim((string) $url), array('http', 'https'));
        return $url === '' ? '' : $url;
    }

    /** An empty field keeps the secret stored before: the page never shows it, so it is never sent back. */
    public static function sanitize_secret($secret) {
        $secret = trim((string) $secret);
        return $secret === '' ? (string) get_option('usermesh_hook_secret', '') : $secret;
    }

    public static function page() {
        if (!current_user_can('manage_options')) {
            return;
        }
        $settings = self::current();
        $last = get_option('usermesh_last_push', null);
        echo '<div class="wrap"><h1>usermesh</h1>';
        if ($settings['fromConstants']) {
            echo '<p>' . esc_html__('USERMESH_HOOK_URL and USERMESH_HOOK_SECRET are set in wp-config.php; they win over the fields below.', 'usermesh') . '</p>';
        }
        echo '<form method="post" action="options.php">';
        settings_fields(self::PAGE);
        echo '<table class="form-table" role="presentation">';
        echo '<tr><th scope="row"><label for="usermesh_hook_url">Hook URL</label></th><td><input type="url" class="regular-text" id="usermesh_hook_url" name="usermesh_hook_url" value="' . esc_attr((string) get_option('usermesh_hook_url', '')) . '" placeholder="https://usermesh.example.com/hooks/shop"></td></tr>';
        echo '<tr><th scope="row"><label for="usermesh_hook_secret">Hook secret</label></th><td><input type="password" class="regular-text" id="usermesh_hook_secret" name="usermesh_hook_secret" value="" autocomplete="new-password" placeholder="' . esc_attr(get_option('usermesh_hook_secret', '') === '' ? '' : __('set; type a new one to change it', 'usermesh')) . '"></td></tr>';
        echo '<tr><th scope="row"><label for="usermesh_meta_keys">Meta keys pushed</label></th><td><input type="text" class="regular-text" id="usermesh_meta_keys" name="usermesh_meta_keys" value="' . esc_attr((string) get_option('usermesh_meta_keys', Usermesh_Push::DEFAULT_META)) . '"><p class="description">Comma-separated, * as a wildcard. A change of one of these meta keys is pushed; usermesh decides what it syncs.</p></td></tr>';
        echo '</table>';
        submit_button();
        echo '</form>';
        echo '<h2>Last push</h2><p>' . esc_html(is_array($last)
            ? sprintf('%s: %s of user %d, %s', $last['time'], $last['topic'], $last['user'], $last['result'])
            : 'none yet') . '</p></div>';
    }

    public static function routes() {
        register_rest_route('usermesh/v1', '/settings', array(
            array(
                'methods' => 'GET',
                'callback' => array(__CLASS__, 'describe'),
                'permission_callback' => array(__CLASS__, 'allowed'),
            ),
            array(
                'methods' => 'POST',
                'callback' => array(__CLASS__, 'update'),
                'permission_callback' => array(__CLASS__, 'allowed'),
                'args' => array(
                    'url' => array('type' => 'string'),
                    'secret' => array('type' => 'string'),
                    'metaKeys' => array('type' => 'string'),
                ),
            ),
        ));
    }

    public static function allowed() {
        return current_user_can('manage_options');
    }

    /**
     * What usermesh's `check` reads: the version, what this plugin offers, where pushes go, whether a
     * secret is set (never the secret).
     */
    public static function describe() {
        $settings = self::current();
        return array(
            'version' => Usermesh_Push::VERSION,
            'features' => self::features($settings),
            'url' => $settings['url'],
            'secretSet' => $settings['secret'] !== '',
            'fromConstants' => $settings['fromConstants'],
            'metaKeys' => (string) get_option('usermesh_meta_keys', Usermesh_Push::DEFAULT_META),
            'lastPush' => get_option('usermesh_last_push', null),
        );
    }

    /** "push" only when pushes can go out (a URL and a secret); the REST parts are always there. */
    public static function features($settings) {
        $features = array();
        if ($settings['url'] !== '' && $settings['secret'] !== '') {
            $features[] = 'push';
        }
        return array_merge($features, array('password', 'meta', 'flags', 'changes'));
    }

    public static function update($request) {
        foreach (array('url' => 'usermesh_hook_url', 'secret' => 'usermesh_hook_secret',
                'metaKeys' => 'usermesh_meta_keys') as $field => $option) {
            if ($request->has_param($field)) {
                $value = (string) $request->get_param($field);
                if ($field === 'url') {
                    $value = self::sanitize_url($value);
                } elseif ($field === 'metaKeys') {
                    $value = sanitize_text_field($value);
                }
                update_option($option, $value, false);
            }
        }
        return self::describe();
    }
}

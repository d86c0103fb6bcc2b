<?php
/**
 * Collects the users that changed during a request and pushes one signed event per user to usermesh
 * when the request ends. The format is usermesh's (docs/sync.md, "Detection by push"):
 *
 *   X-Usermesh-Timestamp: <Unix seconds>
 *   X-Usermesh-Signature: sha256=<hex HMAC-SHA256 of "timestamp.body" with the secret>
 *   {"event":"<unique id>","topic":"user.created|user.updated|user.deleted","id":<user id>,"source":"<home URL>"}
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Push {

    const VERSION = '0.3.0';
    /**
     * Application passwords named "usermesh" (what usermesh's app-password command creates) or
     * "usermesh-…" are usermesh's own: requests made with them push nothing.
     */
    const OWN_APP_PASSWORD = 'usermesh';
    /** Meta whose changes are pushed when no list is set: WooCommerce's customer fields. */
    const DEFAULT_META = 'billing_*,shipping_*,paying_customer';

    /** @var array<int,string> user id => topic, the last one wins except that created and deleted stay */
    private static $pending = array();
    /** @var bool the current request is usermesh's own (its application password) */
    private static $quiet = false;

    public static function boot() {
        add_action('user_register', array(__CLASS__, 'created'));
        add_action('profile_update', array(__CLASS__, 'updated'));
        add_action('set_user_role', array(__CLASS__, 'updated'));
        add_action('add_user_role', array(__CLASS__, 'updated'));
        add_action('remove_user_role', array(__CLASS__, 'updated'));
        add_action('after_password_reset', array(__CLASS__, 'password_reset'));
        // any other path that sets a password (WordPress 6.2+; the plaintext argument is never kept)
        add_action('wp_set_password', array(__CLASS__, 'password_set'), 10, 2);
        add_action('deleted_user', array(__CLASS__, 'deleted'));
        // update_user_meta is how WooCommerce saves its customers
        add_action('added_user_meta', array(__CLASS__, 'meta_changed'), 10, 3);
        add_action('updated_user_meta', array(__CLASS__, 'meta_changed'), 10, 3);
        add_action('deleted_user_meta', array(__CLASS__, 'meta_changed'), 10, 3);
        add_action('application_password_did_authenticate', array(__CLASS__, 'authenticated'), 10, 2);
        // quiet writes: a change usermesh applies mails nobody (else one "your email changed" per linked site)
        add_filter('send_email_change_email', array(__CLASS__, 'mail_unless_quiet'));
        add_filter('send_password_change_email', array(__CLASS__, 'mail_unless_quiet'));
        add_action('shutdown', array(__CLASS__, 'flush'));
    }

    public static function created($user_id) {
        self::$pending[(int) $user_id] = 'user.created';
    }

    public static function updated($user_id) {
        $user_id = (int) $user_id;
        if (!isset(self::$pending[$user_id])) {
            self::$pending[$user_id] = 'user.updated';
        }
    }

    public static function password_reset($user) {
        if (is_object($user) && isset($user->ID)) {
            self::updated($user->ID);
        }
    }

    public static function password_set($password, $user_id) {
        self::updated($user_id);
    }

    public static function deleted($user_id) {
        self::$pending[(int) $user_id] = 'user.deleted';
    }

    /** A meta change is pushed only for allow-listed keys: logins and screen options change meta all the time. */
    public static function meta_changed($meta_id, $user_id, $meta_key) {
        if (self::meta_allowed((string) $meta_key)) {
            self::updated($user_id);
        }
    }

    /** Requests usermesh makes with its own application password push nothing: the change came from it. */
    public static function authenticated($user, $item) {
        $name = is_array($item) && isset($item['name']) ? (string) $item['name'] : '';
        if ($name === self::OWN_APP_PASSWORD || strpos($name, self::OWN_APP_PASSWORD . '-') === 0) {
            self::$quiet = true;
        }
    }

    public static function is_quiet() {
        return self::$quiet;
    }

    /** WordPress's change notices go out for people's changes, not for the ones usermesh applies. */
    public static function mail_unless_quiet($send) {
        return self::$quiet ? false : $send;
    }

    /**
     * Whether a change of this meta key is pushed: the allow-list (usermesh_meta_keys, * as a wildcard),
     * never a key usermesh never syncs (a list of "*" must not push every login's session_tokens).
     */
    public static function meta_allowed($key) {
        if (Usermesh_Keys::never_synced($key)) {
            return false;
        }
        $list = (string) get_option('usermesh_meta_keys', self::DEFAULT_META);
        foreach (array_filter(array_map('trim', explode(',', $list))) as $pattern) {
            $regex = '/^' . str_replace('\*', '.*', preg_quote($pattern, '/')) . '$/';
            if (preg_match($regex, $key)) {
                return true;
            }
        }
        return false;
    }

    /** The events of this request, as usermesh takes them. */
    public static function events() {
        $events = array();
        foreach (self::$pending as $user_id => $topic) {
            $events[] = array(
                'event' => self::event_id(),
                'topic' => $topic,
                'id' => (int) $user_id,
                'source' => home_url(),
            );
        }
        return $events;
    }

    /**
     * Sends the request's events when it ends. With PHP-FPM the page is handed to the visitor first
     * (fastcgi_finish_request) and the result of each push is kept for the settings page; elsewhere
     * the push is sent without waiting for the answer (send_unanswered). First the events go to the
     * changes feed (Usermesh_Changes), pushes or not, usermesh's own requests included. Never throws: a push that fails is found by
     * usermesh's next poll.
     */
    public static function flush() {
        $settings = Usermesh_Settings::current();
        $events = self::events();
        $pending = self::$pending;
        $quiet = self::$quiet;
        self::$pending = array();
        self::$quiet = false; // the request is over
        // Every change goes to the feed, usermesh's own writes too: the feed is what changed on this
        // site, and usermesh's read of a user it wrote finds its own snapshot (no echo). Leaving them
        // out would hide a write made with usermesh's password by anything else (a script, a test).
        // The feed works with pushes off, and keeps what a lost push would have said.
        Usermesh_Changes::record($pending);
        if ($quiet || empty($events) || $settings['url'] === '' || $settings['secret'] === '') {
            return;
        }
        $wait = function_exists('fastcgi_finish_request');
        if ($wait) {
            fastcgi_finish_request();
        }
        foreach ($events as $event) {
            $body = wp_json_encode($event);
            $timestamp = (string) time();
            $headers = array(
                'Content-Type' => 'application/json',
                'X-Usermesh-Timestamp' => $timestamp,
                'X-Usermesh-Signature' => self::signature($settings['secret'], $timestamp, $body),
            );
            if ($wait || strpos($settings['url'], 'http://') !== 0) {
                $response = wp_remote_post($settings['url'], array(
                    'blocking' => $wait,
                    'timeout' => $wait ? 5 : 1,
                    'redirection' => 0,
                    'headers' => $headers,
                    'body' => $body,
                ));
            } else {
                $response = self::send_unanswered($settings['url'], $headers, $body);
            }
            self::record($event, $wait, $response);
        }
    }

    /**
     * Without PHP-FPM the visitor waits for the whole request, shutdown hooks included, and WordPress's
     * HTTP API waits for the answer even of a "non-blocking" request (its curl transport runs the
     * request to its end, with a timeout of at least one second). So a push to an http:// URL is
     * written straight to a socket, which is closed without reading the answer: the page pays a
     * connect and a write. usermesh stores the event whether or not anyone reads its 202. An https://
     * URL goes through the HTTP API (the TLS handshake needs the answers of the server anyway).
     *
     * @return true|WP_Error
     */
    public static function send_unanswered($url, $headers, $body) {
        $parts = wp_parse_url($url);
        if (!is_array($parts) || ($parts['scheme'] ?? '') !== 'http' || empty($parts['host'])) {
            return new WP_Error('usermesh_push', 'not an http:// URL');
        }
        $target = isset($parts['path']) ? $parts['path'] : '/';
        if (isset($parts['query'])) {
            $target .= '?' . $parts['query'];
        }
        if (preg_match('/[\x00-\x20\x7f]/', $target . $parts['host'])) {
            return new WP_Error('usermesh_push', 'the URL holds spaces or control characters');
        }
        $port = isset($parts['port']) ? (int) $parts['port'] : 80;
        $socket = @stream_socket_client('tcp://' . $parts['host'] . ':' . $port, $errno, $error, 1.0);
        if ($socket === false) {
            return new WP_Error('usermesh_push', 'cannot connect: ' . $error);
        }
        stream_set_timeout($socket, 1);
        $request = 'POST ' . $target . " HTTP/1.1\r\n"
            . 'Host: ' . $parts['host'] . (isset($parts['port']) ? ':' . $port : '') . "\r\n"
            . "Connection: close\r\n"
            . 'Content-Length: ' . strlen($body) . "\r\n";
        foreach ($headers as $name => $value) {
            $request .= $name . ': ' . $value . "\r\n";
        }
        $request .= "\r\n" . $body;
        for ($sent = 0; $sent < strlen($request); $sent += $written) {
            $written = @fwrite($socket, substr($request, $sent));
            if ($written === false || $written === 0) {
                fclose($socket);
                return new WP_Error('usermesh_push', 'the connection closed before the event was sent');
            }
        }
        fclose($socket);
        return true;
    }

    /** "sha256=" and the hex HMAC-SHA256 of "timestamp.body": what usermesh checks. */
    public static function signature($secret, $timestamp, $body) {
        return 'sha256=' . hash_hmac('sha256', $timestamp . '.' . $body, $secret);
    }

    private static function record($event, $waited, $response) {
        if (is_wp_error($response)) {
            $result = 'failed: ' . $response->get_error_message();
        } elseif (!$waited) {
            $result = 'sent, not waited for';
        } else {
            $result = 'answered ' . wp_remote_retrieve_response_code($response);
        }
        update_option('usermesh_last_push', array(
            'time' => gmdate('c'),
            'topic' => $event['topic'],
            'user' => $event['id'],
            'result' => $result,
        ), false);
    }

    private static function event_id() {
        return function_exists('wp_generate_uuid4') ? wp_generate_uuid4() : bin2hex(random_bytes(16));
    }
}

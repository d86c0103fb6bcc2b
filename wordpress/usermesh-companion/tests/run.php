<?php
/**
 * The companion's own tests: plain PHP, no WordPress and no dependencies (WordPress's functions are
 * stubbed below). Run: php wordpress/usermesh-companion/tests/run.php (testbed/test-all.sh does).
 * Exit 0 when every test passes. What needs a real site (hooks firing, the settings page, REST routes)
 * is shown by the Java integration tests against the test bed.
 */

define('ABSPATH', __DIR__ . '/');

$GLOBALS['um_actions'] = array();
$GLOBALS['um_options'] = array();
$GLOBALS['um_posts'] = array();

function add_action($hook, $callback, $priority = 10, $args = 1) {
    $GLOBALS['um_actions'][$hook][] = $callback;
}
function add_filter($hook, $callback, $priority = 10, $args = 1) {
    $GLOBALS['um_actions'][$hook][] = $callback;
}
function apply_filters($hook, $value, ...$args) {
    foreach ($GLOBALS['um_actions'][$hook] ?? array() as $callback) {
        $value = call_user_func_array($callback, array_merge(array($value), $args));
    }
    return $value;
}
function do_action($hook, ...$args) {
    foreach ($GLOBALS['um_actions'][$hook] ?? array() as $callback) {
        call_user_func_array($callback, $args);
    }
}
function get_option($name, $default = false) {
    return array_key_exists($name, $GLOBALS['um_options']) ? $GLOBALS['um_options'][$name] : $default;
}
function update_option($name, $value, $autoload = null) {
    $GLOBALS['um_options'][$name] = $value;
    return true;
}
function home_url() {
    return 'http://shop.test';
}
function wp_json_encode($value) {
    return json_encode($value);
}
function wp_generate_uuid4() {
    return sprintf('%04x%04x-%04x-4%03x-a%03x-%012x', mt_rand(0, 0xffff), mt_rand(0, 0xffff), mt_rand(0, 0xffff),
        mt_rand(0, 0xfff), mt_rand(0, 0xfff), mt_rand(0, 0xffffffffffff));
}
function wp_parse_url($url) {
    return parse_url($url);
}
// what reaches usermesh: a test socket stands in for its /hooks URL (send_unanswered writes to it)
$GLOBALS['um_hook'] = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
function hook_url() {
    return 'http://' . stream_socket_get_name($GLOBALS['um_hook'], false) . '/hooks/shop';
}
/** Every push that reached the test socket, as um_posts entries (url, args headers and body, the raw request). */
function um_receive() {
    while ($connection = @stream_socket_accept($GLOBALS['um_hook'], 0)) {
        $raw = stream_get_contents($connection);
        fclose($connection);
        list($head, $body) = explode("\r\n\r\n", $raw, 2);
        $lines = explode("\r\n", $head);
        $target = explode(' ', array_shift($lines))[1];
        $headers = array();
        foreach ($lines as $line) {
            list($name, $value) = explode(': ', $line, 2);
            $headers[$name] = $value;
        }
        $GLOBALS['um_posts'][] = array('url' => 'http://' . $headers['Host'] . $target,
            'args' => array('headers' => $headers, 'body' => $body), 'raw' => $raw);
    }
}
function wp_remote_post($url, $args) {
    $GLOBALS['um_posts'][] = array('url' => $url, 'args' => $args);
    return array('response' => array('code' => 202));
}
function is_wp_error($thing) {
    return $thing instanceof WP_Error;
}
function wp_remote_retrieve_response_code($response) {
    return $response['response']['code'];
}

// --- users, their meta, capabilities and the database, as far as the plugin touches them ---

$GLOBALS['um_users'] = array();     // id => (object) ID, user_pass
$GLOBALS['um_meta'] = array();      // id => key => stored value
$GLOBALS['um_caps'] = array();      // the current user's capabilities
$GLOBALS['um_log'] = array();       // calls worth checking: db updates, cache cleans, sessions ended

class WP_Error {
    public $code;
    public $message;
    public $data;
    public function __construct($code = '', $message = '', $data = '') {
        $this->code = $code;
        $this->message = $message;
        $this->data = $data;
    }
    public function get_error_code() {
        return $this->code;
    }
    public function get_error_message() {
        return $this->message;
    }
    public function get_error_data() {
        return $this->data;
    }
}
class WP_REST_Response {
    public $data;
    public $headers = array();
    public function __construct($data = null) {
        $this->data = $data;
    }
    public function header($name, $value) {
        $this->headers[$name] = $value;
    }
}
class Um_Request implements ArrayAccess {
    private $params;
    private $method;
    private $route;
    public function __construct(array $params, $method = 'GET', $route = '') {
        $this->params = $params;
        $this->method = $method;
        $this->route = $route;
    }
    public function get_method() {
        return $this->method;
    }
    public function get_route() {
        return $this->route;
    }
    public function get_param($name) {
        return $this->params[$name] ?? null;
    }
    public function has_param($name) {
        return array_key_exists($name, $this->params);
    }
    public function offsetExists($name): bool {
        return isset($this->params[$name]);
    }
    #[\ReturnTypeWillChange]
    public function offsetGet($name) {
        return $this->params[$name] ?? null;
    }
    public function offsetSet($name, $value): void {
        $this->params[$name] = $value;
    }
    public function offsetUnset($name): void {
        unset($this->params[$name]);
    }
}
class WP_Session_Tokens {
    private $id;
    public static function get_instance($id) {
        $tokens = new self();
        $tokens->id = $id;
        return $tokens;
    }
    public function destroy_all() {
        $GLOBALS['um_log'][] = array('sessions ended', $this->id);
    }
}
/**
 * The database as far as the plugin touches it: wp_users updates, and the changes table, kept in
 * $changes (seq => row) and answered for exactly the statements Usermesh_Changes makes.
 */
class Um_Wpdb {
    public $users = 'wp_users';
    public $options = 'wp_options';
    public $prefix = 'wp_';
    public $base_prefix = 'wp_';
    public $last_error = '';
    public $changes = array();
    public $next_seq = 1;
    public $fail_inserts = false;
    public function get_blog_prefix() {
        return $this->prefix;
    }
    public function suppress_errors($suppress = true) {
        return false;
    }
    /** As WordPress's: %d and %s, arguments as a list or as one array. */
    public function prepare($query, ...$args) {
        if (count($args) === 1 && is_array($args[0])) {
            $args = $args[0];
        }
        $GLOBALS['um_log'][] = array('prepare', $query, $args);
        $i = 0;
        return preg_replace_callback('/%[ds]/', function ($m) use (&$i, $args) {
            $value = $args[$i++];
            return $m[0] === '%d' ? (string) (int) $value : "'" . addslashes((string) $value) . "'";
        }, $query);
    }
    public function query($sql) {
        $GLOBALS['um_log'][] = array('query', $sql);
        if (preg_match('/^INSERT INTO wp_usermesh_changes \(user_id, topic, changed_at\) VALUES (.*)$/s', $sql, $m)) {
            if ($this->fail_inserts) {
                $this->last_error = 'Table is full';
                return false;
            }
            preg_match_all("/\((\d+), '([^']*)', (\d+)\)/", $m[1], $tuples, PREG_SET_ORDER);
            foreach ($tuples as $t) {
                $seq = $this->next_seq++;
                $this->changes[$seq] = array('seq' => (string) $seq, 'user_id' => $t[1], 'topic' => $t[2], 'changed_at' => $t[3]);
            }
            return count($tuples);
        }
        if (preg_match('/^DELETE FROM wp_usermesh_changes WHERE seq <= (\d+) AND seq < (\d+)$/', $sql, $m)) {
            $before = count($this->changes);
            $this->changes = array_filter($this->changes, function ($row) use ($m) {
                return !($row['seq'] <= (int) $m[1] && $row['seq'] < (int) $m[2]);
            });
            return $before - count($this->changes);
        }
        throw new Exception('unexpected query: ' . $sql);
    }
    public function get_var($sql) {
        $GLOBALS['um_log'][] = array('get_var', $sql);
        if (!preg_match('/^SELECT MAX\(seq\) FROM wp_usermesh_changes(?: WHERE changed_at < (-?\d+))?$/', $sql, $m)) {
            throw new Exception('unexpected get_var: ' . $sql);
        }
        $max = null;
        foreach ($this->changes as $row) {
            if (!isset($m[1]) || (int) $row['changed_at'] < (int) $m[1]) {
                $max = max((int) $max, (int) $row['seq']);
            }
        }
        return $max === null ? null : (string) $max;
    }
    public function get_results($sql, $output) {
        $GLOBALS['um_log'][] = array('get_results', $sql);
        if (!preg_match('/^SELECT seq, user_id, topic, changed_at FROM wp_usermesh_changes WHERE seq > (\d+) ORDER BY seq LIMIT (\d+)$/', $sql, $m)) {
            throw new Exception('unexpected get_results: ' . $sql);
        }
        $rows = array_values(array_filter($this->changes, function ($row) use ($m) {
            return (int) $row['seq'] > (int) $m[1];
        }));
        return array_slice($rows, 0, (int) $m[2]);
    }
    public function update($table, $data, $where) {
        $GLOBALS['um_log'][] = array('update', $table, $data, $where);
        if ($table === $this->users && isset($GLOBALS['um_users'][$where['ID']])) {
            foreach ($data as $column => $value) {
                $GLOBALS['um_users'][$where['ID']]->$column = $value;
            }
            return 1;
        }
        return 0;
    }
}
$GLOBALS['wpdb'] = new Um_Wpdb();

define('ARRAY_A', 'ARRAY_A');
function add_option($name, $value = '', $deprecated = '', $autoload = null) {
    if (array_key_exists($name, $GLOBALS['um_options'])) {
        return false;
    }
    $GLOBALS['um_options'][$name] = $value;
    return true;
}
function wp_salt($scheme = 'auth') {
    return $GLOBALS['um_salt'] ?? 'auth-salt-of-this-site';
}
function get_userdata($id) {
    return isset($GLOBALS['um_users'][$id]) ? clone $GLOBALS['um_users'][$id] : false;
}
function clean_user_cache($id) {
    $GLOBALS['um_log'][] = array('cache cleaned', $id);
}
function wp_unslash($value) {
    return is_string($value) ? stripslashes($value) : $value;
}
function wp_slash($value) {
    return is_string($value) ? addslashes($value) : $value;
}
function metadata_exists($type, $id, $key) {
    return isset($GLOBALS['um_meta'][$id]) && array_key_exists($key, $GLOBALS['um_meta'][$id]);
}
function get_user_meta($id, $key, $single = false) {
    return metadata_exists('user', $id, $key) ? $GLOBALS['um_meta'][$id][$key] : '';
}
// like WordPress, these unslash key and value, and fire the meta actions the push listens to
function update_user_meta($id, $key, $value) {
    $GLOBALS['um_meta'][$id][wp_unslash($key)] = wp_unslash($value);
    do_action('updated_user_meta', 1, $id, wp_unslash($key));
    return true;
}
function delete_user_meta($id, $key) {
    unset($GLOBALS['um_meta'][$id][wp_unslash($key)]);
    do_action('deleted_user_meta', 1, $id, wp_unslash($key));
    return true;
}
function current_user_can($cap, ...$args) {
    return in_array($cap, $GLOBALS['um_caps'], true);
}
function is_user_logged_in() {
    return !empty($GLOBALS['um_caps']);
}
function esc_html__($text, $domain = 'default') {
    return htmlspecialchars($text, ENT_QUOTES);
}
function sanitize_text_field($text) {
    return trim((string) $text);
}
function wp_nonce_field($action, $name) {
    echo '<input type="hidden" name="' . $name . '" value="nonce-' . $action . '">';
}
function wp_verify_nonce($nonce, $action) {
    return $nonce === 'nonce-' . $action ? 1 : false;
}

require __DIR__ . '/../usermesh-companion.php';
add_action('shutdown', 'um_receive'); // after the plugin's own shutdown action

$failures = 0;
$tests = 0;

function check($condition, $what) {
    global $failures;
    if (!$condition) {
        $failures++;
        fwrite(STDERR, "FAILED: $what\n");
    }
}

function test($name, $body) {
    global $tests;
    $tests++;
    $GLOBALS['um_options'] = array();
    $GLOBALS['um_posts'] = array();
    $GLOBALS['um_users'] = array();
    $GLOBALS['um_meta'] = array();
    $GLOBALS['um_caps'] = array();
    $GLOBALS['um_log'] = array();
    $GLOBALS['wpdb'] = new Um_Wpdb();
    $_POST = array();
    do_action('shutdown'); // nothing left from the test before
    $GLOBALS['um_posts'] = array();
    $body();
}

/** An administrator of a single site: what usermesh's application password belongs to. */
function as_admin() {
    $GLOBALS['um_caps'] = array('manage_options', 'edit_users', 'list_users', 'edit_user');
}

function add_user($id, $hash) {
    $GLOBALS['um_users'][$id] = (object) array('ID' => $id, 'user_pass' => $hash, 'user_activation_key' => 'k');
}

/** The hashes the tests use, each for the password "correct horse". */
const PW = 'correct horse';
const PHPASS = '$P$BH.ENMZWG8iiUR0pTOeTlxaZgs612/1'; // made by WordPress 6.1's class-phpass.php

function wp68_hash($password) {
    // what WordPress 6.8's wp_hash_password writes (wp-includes/pluggable.php)
    return '$wp' . password_hash(base64_encode(hash_hmac('sha384', $password, 'wp-sha384', true)), PASSWORD_BCRYPT);
}

function pushed_ids() {
    do_action('shutdown');
    $ids = array();
    foreach ($GLOBALS['um_posts'] as $post) {
        $ids[] = json_decode($post['args']['body'], true)['id'];
    }
    return $ids;
}

function logged($what) {
    return array_values(array_filter($GLOBALS['um_log'], function ($entry) use ($what) {
        return $entry[0] === $what;
    }));
}

function configure() {
    update_option('usermesh_hook_url', hook_url());
    update_option('usermesh_hook_secret', 's3cret');
}

test('the signature is the one usermesh checks (the vector of its PushSignatureTest)', function () {
    check(Usermesh_Push::signature('s3cret', '1796187600', '{"id":42,"email":"ann@example.test"}')
        === 'sha256=9514e7c1281c369524c346e343d04f37c2e5408eff2e38c7675e7cdc6809dd35', 'signature vector');
});

test('a changed user is pushed once when the request ends, signed over timestamp and body', function () {
    configure();
    do_action('profile_update', 12);
    do_action('set_user_role', 12);
    check(count($GLOBALS['um_posts']) === 0, 'nothing is sent during the request');
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 1, 'one push per user');
    $post = $GLOBALS['um_posts'][0];
    $event = json_decode($post['args']['body'], true);
    check($post['url'] === hook_url(), 'to the hook URL');
    check($event['topic'] === 'user.updated' && $event['id'] === 12 && $event['source'] === 'http://shop.test',
        'topic, user and source in the body');
    check(preg_match('/^[A-Za-z0-9._:-]{1,64}$/', $event['event']) === 1, 'an event id usermesh accepts');
    $headers = $post['args']['headers'];
    check($headers['X-Usermesh-Signature'] === 'sha256=' . hash_hmac('sha256',
        $headers['X-Usermesh-Timestamp'] . '.' . $post['args']['body'], 's3cret'), 'signed');
    check(abs((int) $headers['X-Usermesh-Timestamp'] - time()) <= 1, 'timestamp is now');
    check(strpos($post['raw'], "POST /hooks/shop HTTP/1.1\r\n") === 0, 'an HTTP POST: ' . $post['raw']);
    check($headers['Content-Length'] === (string) strlen($post['args']['body']), 'the whole body, with its length');
    check($headers['Connection'] === 'close', 'and no answer waited for, without PHP-FPM');
    check(get_option('usermesh_last_push')['result'] === 'sent, not waited for', 'the last push is recorded');
});

test('a runner that cannot be reached costs the page no error and is recorded', function () {
    configure();
    $closed = stream_socket_server('tcp://127.0.0.1:0');
    $port = explode(':', stream_socket_get_name($closed, false))[1];
    fclose($closed);
    update_option('usermesh_hook_url', 'http://127.0.0.1:' . $port . '/hooks/shop');
    do_action('profile_update', 12);
    do_action('shutdown');
    check(strpos(get_option('usermesh_last_push')['result'], 'failed: cannot connect') === 0,
        'recorded: ' . get_option('usermesh_last_push')['result']);
    update_option('usermesh_hook_url', 'https://127.0.0.1:' . $port . '/hooks/shop');
    do_action('profile_update', 12);
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 1 && $GLOBALS['um_posts'][0]['args']['blocking'] === false,
        'an https URL goes through the HTTP API, not waited for');
});

test('created and deleted are not turned into updated by what follows them', function () {
    configure();
    do_action('user_register', 5);
    do_action('updated_user_meta', 1, 5, 'billing_city');
    do_action('profile_update', 6);
    do_action('deleted_user_meta', 2, 6, 'billing_city');
    do_action('deleted_user', 6);
    do_action('shutdown');
    $topics = array();
    foreach ($GLOBALS['um_posts'] as $post) {
        $event = json_decode($post['args']['body'], true);
        $topics[$event['id']] = $event['topic'];
    }
    check($topics === array(5 => 'user.created', 6 => 'user.deleted'), 'topics: ' . json_encode($topics));
});

test('only allow-listed meta changes push', function () {
    configure();
    do_action('updated_user_meta', 1, 7, 'session_tokens');
    do_action('updated_user_meta', 1, 7, 'wp_user-settings');
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 0, 'logins and screen options push nothing');
    do_action('updated_user_meta', 1, 7, 'shipping_postcode');
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 1, 'a WooCommerce customer field pushes');
    update_option('usermesh_meta_keys', 'loyalty_*');
    check(Usermesh_Push::meta_allowed('loyalty_tier') && !Usermesh_Push::meta_allowed('billing_city'),
        'the list set on the settings page replaces the default');
});

test("usermesh's own requests push nothing, others do", function () {
    configure();
    do_action('application_password_did_authenticate', (object) array('ID' => 1), array('name' => 'usermesh'));
    do_action('profile_update', 8);
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 0, 'a write by usermesh is not pushed back');
    do_action('application_password_did_authenticate', (object) array('ID' => 1), array('name' => 'crm'));
    do_action('profile_update', 8);
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 1, 'another application password pushes');
    do_action('application_password_did_authenticate', (object) array('ID' => 1), array('name' => 'usermesh-2f1c'));
    do_action('profile_update', 8);
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 1, '"usermesh-…" is usermesh\'s too');
});

test("usermesh's own changes send no change notices, people's do", function () {
    check(apply_filters('send_email_change_email', true) === true, 'a person changing an email is told');
    check(apply_filters('send_password_change_email', true) === true, 'a person changing a password is told');
    do_action('application_password_did_authenticate', (object) array('ID' => 1), array('name' => 'usermesh'));
    check(apply_filters('send_email_change_email', true) === false, 'no email-changed mail for a synced change');
    check(apply_filters('send_password_change_email', true) === false, 'no password-changed mail either');
    do_action('shutdown');
    check(apply_filters('send_email_change_email', true) === true, 'the next request is a person\'s again');
});

test('without a hook URL and secret nothing is sent', function () {
    do_action('profile_update', 9);
    do_action('shutdown');
    update_option('usermesh_hook_url', hook_url());
    do_action('profile_update', 9);
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 0, 'no push without both settings');
});

test('the password digest changes with the hash, is keyed by the site and shows nothing of the hash', function () {
    $a = Usermesh_Passwords::digest(PHPASS);
    check(preg_match('/^[0-9a-f]{16}$/', $a) === 1, '16 hex characters');
    check($a === Usermesh_Passwords::digest(PHPASS), 'the same hash gives the same digest');
    check($a !== Usermesh_Passwords::digest(wp68_hash(PW)), 'another hash gives another digest');
    check(strpos(PHPASS, $a) === false && strpos(md5(PHPASS) . sha1(PHPASS) . hash('sha256', PHPASS), $a) === false,
        'not the hash, nor a plain checksum of it');
    $GLOBALS['um_salt'] = 'another site';
    check($a !== Usermesh_Passwords::digest(PHPASS), 'keyed with the site\'s auth salt');
    unset($GLOBALS['um_salt']);
});

test('never-synced keys: logins, application passwords, the flags, roles and settings of any blog', function () {
    foreach (array('session_tokens', '_application_passwords', 'usermesh_propagation_off', 'usermesh_protected',
            'wp_capabilities', 'wp_user_level', 'wp_user-settings', 'wp_user-settings-time', 'wp_dashboard_quick_press_last_post_id',
            'wp_3_capabilities', 'shop2_capabilities', 'shop2_user_level') as $key) {
        check(Usermesh_Keys::never_synced($key), "$key is never synced");
    }
    foreach (array('billing_city', 'first_name', 'nickname', 'description', 'paying_customer', 'capabilities_note') as $key) {
        check(!Usermesh_Keys::never_synced($key), "$key may be synced");
    }
    $GLOBALS['wpdb']->prefix = 'shop_2_';
    $GLOBALS['wpdb']->base_prefix = 'shop_';
    check(Usermesh_Keys::never_synced('shop_2_user-settings'), 'this blog\'s prefix');
    check(Usermesh_Keys::never_synced('shop_user-settings'), 'the network\'s base prefix');
    check(!Usermesh_Keys::never_synced('wp_user-settings'), 'wp_ is only a prefix where it is the table prefix');
    $GLOBALS['wpdb']->prefix = '';
    $GLOBALS['wpdb']->base_prefix = '';
    check(!Usermesh_Keys::never_synced('billing_city'), 'an empty table prefix does not refuse every key');
});

test('never-synced keys do not push, even with "*" as the allow-list', function () {
    configure();
    update_option('usermesh_meta_keys', '*');
    do_action('updated_user_meta', 1, 7, 'session_tokens');
    do_action('updated_user_meta', 1, 7, 'wp_capabilities');
    check(pushed_ids() === array(), 'a login or a role meta pushes nothing');
    do_action('updated_user_meta', 1, 7, 'loyalty_tier');
    check(pushed_ids() === array(7), 'another key does');
});

test('password hash formats: the ones WordPress verifies, nothing else', function () {
    $good = array(PHPASS, wp68_hash(PW), password_hash(PW, PASSWORD_BCRYPT), str_replace('$2y$', '$2b$', password_hash(PW, PASSWORD_BCRYPT)));
    if (defined('PASSWORD_ARGON2ID')) {
        $good[] = password_hash(PW, PASSWORD_ARGON2ID);
        $good[] = password_hash(PW, PASSWORD_ARGON2I);
    }
    foreach ($good as $hash) {
        check(Usermesh_Passwords::valid_hash($hash), "accepted: a hash starting " . substr($hash, 0, 7));
    }
    $bad = array('', PW, md5(PW), substr(PHPASS, 0, 20), PHPASS . 'x', '$X$' . substr(PHPASS, 3),
        substr(wp68_hash(PW), 0, 40), '$wp' . PHPASS, '$2y$10$' . str_repeat('!', 53), "\$P\$B" . str_repeat('a', 29) . "\n", null, 42, array(PHPASS));
    foreach ($bad as $i => $hash) {
        check(!Usermesh_Passwords::valid_hash($hash), "refused: bad hash #$i");
    }
});

test('a bad hash is refused with 400, without its value and without writing anything', function () {
    as_admin();
    add_user(3, PHPASS);
    $secret = '$P$not-a-hash-but-a-secret-value';
    $error = Usermesh_Passwords::set_hash(3, $secret);
    check(is_wp_error($error) && $error->get_error_code() === 'usermesh_bad_hash' && $error->get_error_data()['status'] === 400,
        '400 usermesh_bad_hash');
    check(strpos(json_encode((array) $error), 'secret-value') === false, 'the value is nowhere in the error');
    check($GLOBALS['um_users'][3]->user_pass === PHPASS && logged('update') === array(), 'nothing written');
    $answer = Usermesh_User_Routes::set_password(new Um_Request(array('id' => 3, 'hash' => $secret)));
    check(is_wp_error($answer) && strpos(json_encode((array) $answer), 'secret-value') === false, 'the route answers the same');
});

test('setting a hash stores it as it is, ends the sessions and answers the new digest', function () {
    as_admin();
    configure();
    add_user(3, PHPASS);
    $hash = wp68_hash(PW);
    $answer = Usermesh_User_Routes::set_password(new Um_Request(array('id' => 3, 'hash' => $hash)));
    check(logged('update') === array(array('update', 'wp_users', array('user_pass' => $hash, 'user_activation_key' => ''), array('ID' => 3))),
        'user_pass written directly, no rehash, reset key cleared');
    check(logged('cache cleaned') === array(array('cache cleaned', 3)), 'the cached user is dropped');
    check(logged('sessions ended') === array(array('sessions ended', 3)), 'the user is signed out everywhere');
    check($answer->data === array('digest' => Usermesh_Passwords::digest($hash)), 'answers the new digest');
    check(pushed_ids() === array(3), 'the change is pushed (usermesh\'s own requests stay quiet)');
});

test('the password route hands the hash to administrators only, never cached', function () {
    add_user(3, PHPASS);
    $request = new Um_Request(array('id' => 3));
    check(Usermesh_User_Routes::allowed($request) === false, 'nobody signed in: refused');
    $GLOBALS['um_caps'] = array('edit_users', 'list_users', 'edit_user');
    check(Usermesh_User_Routes::allowed($request) === false, 'an editor of users who is no administrator: refused');
    as_admin();
    check(Usermesh_User_Routes::allowed($request) === true, 'an administrator: allowed');
    $missing = Usermesh_User_Routes::allowed(new Um_Request(array('id' => 99)));
    check(is_wp_error($missing) && $missing->get_error_code() === 'usermesh_no_user' && $missing->get_error_data()['status'] === 404,
        '404 for a missing user');
    $answer = Usermesh_User_Routes::get_password($request);
    check($answer->data === array('hash' => PHPASS, 'digest' => Usermesh_Passwords::digest(PHPASS)), 'hash and digest');
    check(($answer->headers['Cache-Control'] ?? '') === 'no-store', 'Cache-Control: no-store');
    // WordPress sends its own no-cache headers after the answer's; 6.1's lack no-store
    check(apply_filters('nocache_headers', array('Cache-Control' => 'no-cache, must-revalidate, max-age=0'))['Cache-Control']
        === 'no-cache, must-revalidate, max-age=0, no-store', 'WordPress\'s no-cache headers say no-store too');
});

test('WordPress before 6.8 signs in with a 6.8 hash: the check_password filter', function () {
    $hash = wp68_hash(PW);
    check(apply_filters('check_password', false, PW, $hash, 3) === true, 'the right password is accepted');
    check(apply_filters('check_password', false, 'wrong horse', $hash, 3) === false, 'a wrong one is refused');
    check(apply_filters('check_password', false, PW, PHPASS, 3) === false, 'other formats are left to WordPress');
    check(apply_filters('check_password', true, 'anything', PHPASS, 3) === true, 'WordPress\'s yes stays yes');
    if (defined('PASSWORD_ARGON2ID')) {
        check(apply_filters('check_password', false, PW, password_hash(PW, PASSWORD_ARGON2ID), 3) === true,
            'an Argon2 hash, which 6.1\'s phpass cannot check');
    }
});

test('a password set by any path is pushed (wp_set_password, WordPress 6.2+)', function () {
    configure();
    do_action('wp_set_password', 'the plaintext', 14);
    check(pushed_ids() === array(14), 'pushed');
    check(strpos(json_encode($GLOBALS['um_posts']) . json_encode($GLOBALS['um_options']), 'the plaintext') === false,
        'the plaintext goes nowhere');
});

test('flags: absent meta is the default; written as the two metas, read back', function () {
    check(Usermesh_Flags::read(5) === array('propagation' => true, 'protected' => false), 'defaults');
    Usermesh_Flags::write(5, array('propagation' => false, 'protected' => true));
    check(($GLOBALS['um_meta'][5] ?? array()) === array('usermesh_propagation_off' => '1', 'usermesh_protected' => '1'), 'stored as meta');
    check(Usermesh_Flags::read(5) === array('propagation' => false, 'protected' => true), 'read back');
    Usermesh_Flags::write(5, array('protected' => false));
    check(Usermesh_Flags::read(5) === array('propagation' => false, 'protected' => false), 'only the part given changes');
    Usermesh_Flags::write(5, array('propagation' => true));
    check(($GLOBALS['um_meta'][5] ?? array()) === array(), 'the defaults are no meta at all');
    check(is_wp_error(Usermesh_Flags::validate(array('protected' => 'false'))), '"false" is not a boolean');
});

test('the field reads the requested, allowed meta as strings, and {} when none is asked for', function () {
    as_admin();
    add_user(5, PHPASS);
    $GLOBALS['um_meta'][5] = array('billing_city' => 'Graz', 'billing_phone' => 43, 'session_tokens' => array('x' => 1),
        'wp_capabilities' => 'a:1:{s:13:"administrator";b:1;}', 'favourites' => array('a', 'b'), 'nickname' => 'ann',
        'usermesh_protected' => '1');
    $field = Usermesh_Field::get(array('id' => 5), 'usermesh', new Um_Request(array(
        'usermesh_meta' => 'billing_city, billing_phone,session_tokens,wp_capabilities,favourites,billing_missing,usermesh_protected')));
    check(json_encode($field['meta']) === '{"billing_city":"Graz","billing_phone":"43"}',
        'only requested keys the user has, never-synced and arrays left out, as strings: ' . json_encode($field['meta']));
    check($field['version'] === Usermesh_Push::VERSION && $field['password'] === Usermesh_Passwords::digest(PHPASS), 'version and digest');
    check($field['flags'] === array('propagation' => true, 'protected' => true), 'flags');
    $none = Usermesh_Field::get(array('id' => 5), 'usermesh', new Um_Request(array()));
    check(json_encode($none['meta']) === '{}', 'no parameter: {} (' . json_encode($none['meta']) . ')');
    $GLOBALS['um_meta'][5]['0'] = 'zero';
    check(json_encode(Usermesh_Field::get(array('id' => 5), 'usermesh', new Um_Request(array('usermesh_meta' => '0')))['meta'])
        === '{"0":"zero"}', 'an object even for a key like "0"');
    $GLOBALS['um_caps'] = array('list_users');
    check(Usermesh_Field::get(array('id' => 5), 'usermesh', new Um_Request(array())) === null, 'null for who cannot edit users');
});

test('the field reads the password of the user as it is now, not as the request began', function () {
    as_admin();
    add_user(5, PHPASS);
    $before = Usermesh_Field::get(array('id' => 5), 'usermesh', new Um_Request(array()))['password'];
    $hash = wp68_hash(PW);
    check(Usermesh_Field::update(array('password_hash' => $hash), $GLOBALS['um_users'][5]) === true, 'hash set through the field');
    $after = Usermesh_Field::get(array('id' => 5), 'usermesh', new Um_Request(array()))['password'];
    check($before !== $after && $after === Usermesh_Passwords::digest($hash), 'the answer has the new digest');
});

test('writing through the field: strings stored, null deletes, a never-synced key refuses it all', function () {
    as_admin();
    add_user(6, PHPASS);
    $GLOBALS['um_meta'][6] = array('billing_phone' => '123');
    $user = $GLOBALS['um_users'][6];
    $refused = Usermesh_Field::update(array('meta' => array('billing_city' => 'Linz', 'wp_capabilities' => 'a:0:{}'),
        'flags' => array('protected' => true), 'password_hash' => wp68_hash(PW)), $user);
    check(is_wp_error($refused) && $refused->get_error_code() === 'usermesh_meta_refused'
        && $refused->get_error_data()['status'] === 400 && strpos($refused->get_error_message(), 'wp_capabilities') !== false,
        '400 usermesh_meta_refused naming the key');
    check($GLOBALS['um_meta'][6] === array('billing_phone' => '123') && logged('update') === array(), 'nothing written');
    $bad_hash = Usermesh_Field::update(array('meta' => array('billing_city' => 'Linz'), 'password_hash' => 'plain'), $user);
    check(is_wp_error($bad_hash) && !isset($GLOBALS['um_meta'][6]['billing_city']), 'a bad hash stops the meta too');
    $ok = Usermesh_Field::update(array('meta' => array('billing_city' => 'C:\\Linz', 'billing_phone' => null),
        'flags' => array('propagation' => false)), $user);
    check($ok === true, 'accepted');
    check($GLOBALS['um_meta'][6] === array('billing_city' => 'C:\\Linz', 'usermesh_propagation_off' => '1'),
        'stored with its backslash, null deleted, flag set: ' . json_encode($GLOBALS['um_meta'][6]));
    $GLOBALS['um_caps'] = array('edit_users', 'list_users', 'edit_user');
    $no = Usermesh_Field::update(array('password_hash' => wp68_hash(PW)), $user);
    check(is_wp_error($no) && $no->get_error_data()['status'] === 403, 'a hash only from an administrator');
    $GLOBALS['um_caps'] = array('edit_user');
    $no = Usermesh_Field::update(array('flags' => array('protected' => true)), $user);
    check(is_wp_error($no) && !isset($GLOBALS['um_meta'][6]['usermesh_protected']), 'flags only from who can edit users');
});

test('the meta routes: same rules, and the written keys as now stored', function () {
    as_admin();
    add_user(8, PHPASS);
    $GLOBALS['um_meta'][8] = array('billing_city' => 'Graz', 'session_tokens' => 'x');
    $read = Usermesh_User_Routes::get_meta(new Um_Request(array('id' => 8, 'keys' => 'billing_city,session_tokens')));
    check(json_encode($read) === '{"meta":{"billing_city":"Graz"}}', 'read: ' . json_encode($read));
    $written = Usermesh_User_Routes::set_meta(new Um_Request(array('id' => 8, 'meta' => array('billing_city' => null, 'loyalty' => 'gold'))));
    check(json_encode($written) === '{"meta":{"billing_city":null,"loyalty":"gold"}}', 'written: ' . json_encode($written));
    $refused = Usermesh_User_Routes::set_meta(new Um_Request(array('id' => 8, 'meta' => array('loyalty' => 'x', '_application_passwords' => 'y'))));
    check(is_wp_error($refused) && $refused->get_error_code() === 'usermesh_meta_refused' && $GLOBALS['um_meta'][8]['loyalty'] === 'gold',
        'refused as a whole');
    $bad = Usermesh_User_Routes::set_meta(new Um_Request(array('id' => 8, 'meta' => array('loyalty' => array('x')))));
    check(is_wp_error($bad) && $bad->get_error_data()['status'] === 400, 'a value must be a string or null');
});

test('profile screen: the two checkboxes, saved only with the nonce and by who can edit users', function () {
    as_admin();
    $GLOBALS['um_meta'][9] = array('usermesh_protected' => '1');
    ob_start();
    do_action('edit_user_profile', (object) array('ID' => 9));
    $html = ob_get_clean();
    check(strpos($html, 'name="usermesh_propagation_off"') !== false && strpos($html, 'name="usermesh_protected"') !== false
        && strpos($html, 'name="usermesh_flags_nonce"') !== false, 'both boxes and the nonce');
    check(preg_match('/name="usermesh_protected"[^>]*checked/', $html) === 1
        && preg_match('/name="usermesh_propagation_off"[^>]*checked/', $html) === 0, 'checked as stored');
    $_POST = array('usermesh_propagation_off' => '1');
    do_action('edit_user_profile_update', 9);
    check(Usermesh_Flags::read(9) === array('propagation' => true, 'protected' => true), 'without the nonce nothing changes');
    $_POST = array('usermesh_flags_nonce' => 'nonce-usermesh_flags', 'usermesh_propagation_off' => '1');
    do_action('personal_options_update', 9);
    check(Usermesh_Flags::read(9) === array('propagation' => false, 'protected' => false), 'ticked off, unticked protected');
    $_POST = array('usermesh_flags_nonce' => 'nonce-usermesh_flags', 'usermesh_protected' => '1');
    do_action('edit_user_profile_update', 9);
    check(Usermesh_Flags::read(9) === array('propagation' => true, 'protected' => true), 'saved from another user\'s screen too');
    $_POST = array('usermesh_flags_nonce' => 'nonce-usermesh_flags');
    do_action('edit_user_profile_update', 9);
    $GLOBALS['um_caps'] = array('edit_user');
    $_POST = array('usermesh_flags_nonce' => 'nonce-usermesh_flags', 'usermesh_protected' => '1');
    do_action('personal_options_update', 9);
    check(Usermesh_Flags::read(9)['protected'] === false, 'someone who cannot edit users changes nothing');
    ob_start();
    do_action('show_user_profile', (object) array('ID' => 9));
    check(ob_get_clean() === '', 'nor sees the section');
});

test('settings: version, and push among the features only with a URL and a secret', function () {
    $described = Usermesh_Settings::describe();
    check($described['version'] === '0.3.0', 'version');
    check($described['features'] === array('password', 'meta', 'flags', 'changes'), 'no push without a hook');
    check(strpos(json_encode($described), 's3cret') === false, 'no secret');
    configure();
    check(Usermesh_Settings::describe()['features'] === array('push', 'password', 'meta', 'flags', 'changes'), 'push with one');
    check(strpos(json_encode(Usermesh_Settings::describe()), 's3cret') === false, 'still no secret');
});

/** A user as get_userdata shows the fields REST reads and writes. */
function add_profile($id) {
    add_user($id, PHPASS);
    foreach (array('user_email' => 'Ann@Example.test', 'display_name' => 'Ann Lee', 'first_name' => 'Ann', 'last_name' => 'Lee',
            'nickname' => 'ann', 'user_url' => '', 'description' => '', 'roles' => array('subscriber', 'customer')) as $k => $v) {
        $GLOBALS['um_users'][$id]->$k = $v;
    }
}

function update_request($id, $expect) {
    return new Um_Request(array('usermesh' => array('expect' => $expect)), 'POST', '/wp/v2/users/' . $id);
}

test('an update whose expected values hold goes on untouched', function () {
    as_admin();
    add_profile(7);
    $GLOBALS['um_meta'][7] = array('billing_city' => 'Graz');
    $expect = array('email' => 'ann@example.test', 'last_name' => 'Lee', 'roles' => array('customer', 'subscriber'),
        'meta' => array('billing_city' => 'Graz', 'billing_phone' => null), 'protected' => false);
    check(Usermesh_Expect::check(null, array(), update_request(7, $expect)) === null, 'passes: ' . json_encode(Usermesh_Expect::changed($GLOBALS['um_users'][7], $expect)));
});

test('an update over a field changed here since usermesh saw it is refused with 409, naming the fields', function () {
    as_admin();
    add_profile(7);
    $GLOBALS['um_meta'][7] = array('billing_city' => 'Wien');
    $refused = Usermesh_Expect::check(null, array(), update_request(7, array('last_name' => 'Old', 'roles' => array('subscriber'),
        'meta' => array('billing_city' => 'Graz'), 'first_name' => 'Ann')));
    check(is_wp_error($refused) && $refused->get_error_code() === 'usermesh_conflict' && $refused->get_error_data()['status'] === 409,
        'refused with 409');
    check(is_wp_error($refused) && strpos($refused->get_error_message(), 'last_name, roles, meta billing_city.') !== false
        && strpos($refused->get_error_message(), 'first_name') === false, 'names what changed: ' . (is_wp_error($refused) ? $refused->get_error_message() : ''));
    check(strpos(is_wp_error($refused) ? $refused->get_error_message() : '', 'Wien') === false, 'never a value');
    $GLOBALS['um_meta'][7]['usermesh_protected'] = '1';
    $protected = Usermesh_Expect::check(null, array(), update_request(7, array('protected' => false)));
    check(is_wp_error($protected) && $protected->get_error_code() === 'usermesh_protected', 'a user protected since is refused');
});

test('the check answers only someone who may edit the user, and only updates of a user that carry expect', function () {
    add_profile(7);
    $expect = array('last_name' => 'Old');
    check(Usermesh_Expect::check(null, array(), update_request(7, $expect)) === null, 'anonymous: left to WordPress (401), no oracle');
    as_admin();
    check(Usermesh_Expect::check(null, array(), new Um_Request(array('usermesh' => array('expect' => $expect)), 'GET', '/wp/v2/users/7')) === null, 'a read');
    check(Usermesh_Expect::check(null, array(), new Um_Request(array('last_name' => 'X'), 'POST', '/wp/v2/users/7')) === null, 'no expect');
    check(Usermesh_Expect::check(null, array(), update_request(8, $expect)) === null, 'no such user: WordPress answers 404');
    check(is_wp_error(Usermesh_Expect::check(null, array(), update_request(7, $expect))), 'otherwise checked');
    $earlier = new WP_Error('rest_forbidden', 'no');
    check(Usermesh_Expect::check($earlier, array(), update_request(7, $expect)) === $earlier, 'an earlier refusal stands');
});

// --- the changes feed ---

/** The changes table as after install: the schema recorded, an epoch set. */
function feed_ready($epoch = '3fa85f64') {
    update_option('usermesh_changes_schema', Usermesh_Changes::SCHEMA);
    update_option('usermesh_changes_epoch', $epoch);
}

function feed($params = array()) {
    return Usermesh_Changes::feed(new Um_Request($params));
}

/** Makes every recorded change $seconds older. */
function age_changes($seconds) {
    foreach ($GLOBALS['wpdb']->changes as $seq => $row) {
        $GLOBALS['wpdb']->changes[$seq]['changed_at'] = (string) ((int) $row['changed_at'] - $seconds);
    }
}

function inserts() {
    return array_values(array_filter(logged('query'), function ($entry) {
        return strpos($entry[1], 'INSERT') === 0;
    }));
}

test('cursors: <epoch>.<seq> read back; anything else is no cursor', function () {
    check(Usermesh_Changes::format_cursor('3fa85f64', 1234) === '3fa85f64.1234', 'formatted');
    check(Usermesh_Changes::parse_cursor('3fa85f64.1234') === array('epoch' => '3fa85f64', 'seq' => 1234), 'parsed');
    check(Usermesh_Changes::parse_cursor('3fa85f64.0') === array('epoch' => '3fa85f64', 'seq' => 0), 'seq 0');
    foreach (array('', '1234', '3fa85f64', '3fa85f64.', '.12', '3FA85F64.12', '3fa85f6.12', '3fa85f640.12', '3fa85f64.-1',
            '3fa85f64.1.2', '3fa85f64.12 ', "3fa85f64.12\n", ' 3fa85f64.12', '3fa85f64.1e3', 'zzzzzzzz.12', null, 12, array('x')) as $i => $bad) {
        check(Usermesh_Changes::parse_cursor($bad) === null, "bad cursor #$i refused");
    }
    check(Usermesh_Changes::parse_cursor('3fa85f64.99999999999999999999999')['seq'] === PHP_INT_MAX, 'a huge seq saturates (so it is ahead)');
});

test('expiry: another epoch, pruned past the cursor, or a cursor ahead; the pruned seq itself is fine', function () {
    $at = function ($seq, $epoch = '3fa85f64') {
        return Usermesh_Changes::expired(array('epoch' => $epoch, 'seq' => $seq), '3fa85f64', 100, 250, 604800);
    };
    check($at(100, '00000000') === 'the feed was reset', 'another epoch: ' . $at(100, '00000000'));
    check($at(99) === 'changes after the cursor were pruned (retention 604800 s)', 'below the pruned seq: ' . $at(99));
    check($at(0) !== null, 'a cursor from before any prune, once pruned');
    check($at(100) === null, 'exactly the pruned seq: everything up to it was seen');
    check($at(180) === null && $at(250) === null, 'between pruned and high, and at high');
    check($at(251) === 'the cursor is ahead of the feed', 'ahead: ' . $at(251));
    check(Usermesh_Changes::expired(array('epoch' => '3fa85f64', 'seq' => 0), '3fa85f64', 0, 0, 60) === null, 'an empty new feed');
});

test('the cursor passes the settled prefix only', function () {
    $changes = array(array('seq' => 5, 'time' => 100), array('seq' => 7, 'time' => 104), array('seq' => 8, 'time' => 103),
        array('seq' => 9, 'time' => 106));
    check(Usermesh_Changes::settled_seq(4, $changes, 110) === 9, 'all settled: past the last');
    check(Usermesh_Changes::settled_seq(4, $changes, 104) === 8, 'up to the first unsettled one');
    check(Usermesh_Changes::settled_seq(4, $changes, 103) === 5, 'a settled row after an unsettled one waits (8 after 7)');
    check(Usermesh_Changes::settled_seq(4, $changes, 99) === 4, 'nothing settled: the cursor stays');
    check(Usermesh_Changes::settled_seq(4, array(), 110) === 4, 'no changes: the cursor stays');
});

test('limit and retention: defaults, clamps, and values below 1 ignored', function () {
    check(Usermesh_Changes::limit(null) === 1000 && Usermesh_Changes::limit(0) === 1 && Usermesh_Changes::limit(-5) === 1
        && Usermesh_Changes::limit(20) === 20 && Usermesh_Changes::limit(99999) === 5000, 'limit');
    check(Usermesh_Changes::retention() === 604800, '7 days by default');
    update_option('usermesh_changes_retention', '3600');
    check(Usermesh_Changes::retention() === 3600, 'the option');
    update_option('usermesh_changes_retention', '0');
    check(Usermesh_Changes::retention() === 604800, 'an option of 0 is ignored');
});

test('a change is recorded with pushes off, all of a request in one insert', function () {
    feed_ready();
    do_action('user_register', 21);
    do_action('profile_update', 22);
    do_action('updated_user_meta', 1, 22, 'billing_city');
    do_action('deleted_user', 23);
    check(inserts() === array(), 'nothing during the request');
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 0, 'no push without settings');
    check(count(inserts()) === 1, 'one insert: ' . json_encode(inserts()));
    $prepared = logged('prepare');
    check(count($prepared) === 1 && $prepared[0][2] === array(21, 'user.created', time(), 22, 'user.updated', time(), 23, 'user.deleted', time())
        && substr_count($prepared[0][1], '(%d, %s, %d)') === 3, 'prepared, three rows: ' . json_encode($prepared));
    $rows = array_values($GLOBALS['wpdb']->changes);
    check(array_map(function ($row) { return $row['user_id'] . ' ' . $row['topic']; }, $rows)
        === array('21 user.created', '22 user.updated', '23 user.deleted'), 'rows: ' . json_encode($rows));
    do_action('shutdown');
    check(count(inserts()) === 1, 'a request without changes records nothing');
});

test("usermesh's own requests are recorded but not pushed, others are both", function () {
    feed_ready();
    configure();
    do_action('application_password_did_authenticate', (object) array('ID' => 1), array('name' => 'usermesh-2f1c'));
    do_action('profile_update', 8);
    do_action('shutdown');
    check(count(inserts()) === 1 && $GLOBALS['um_posts'] === array(), 'a quiet request is recorded, not pushed');
    do_action('application_password_did_authenticate', (object) array('ID' => 1), array('name' => 'crm'));
    do_action('profile_update', 8);
    do_action('shutdown');
    check(count(inserts()) === 2 && count($GLOBALS['um_posts']) === 1, 'another client is recorded and pushed');
});

test('recording stays quiet: no table yet, or a failed insert, costs the request nothing', function () {
    do_action('profile_update', 8);
    do_action('shutdown');
    check(inserts() === array(), 'before the table exists nothing is tried');
    feed_ready();
    $GLOBALS['wpdb']->fail_inserts = true;
    $log = ini_set('error_log', '/dev/null');
    do_action('profile_update', 8);
    do_action('shutdown');
    ini_set('error_log', $log);
    check(count(inserts()) === 1 && $GLOBALS['wpdb']->changes === array(), 'tried once, no exception');
});

test('the feed: the position without since, then the changes after it, the cursor passing settled ones', function () {
    as_admin();
    check(is_wp_error(feed()) && feed()->get_error_data()['status'] === 503, 'no table: 503');
    feed_ready();
    check(Usermesh_Changes::allowed() === true, 'an administrator reads it');
    $start = feed();
    check($start->data === array('cursor' => '3fa85f64.0', 'changes' => array(), 'more' => false, 'retention' => 604800),
        'an empty feed: ' . json_encode($start->data));
    check($start->headers['Cache-Control'] === 'no-store', 'no-store');
    do_action('user_register', 31);
    do_action('shutdown');
    do_action('profile_update', 31);
    do_action('shutdown');
    $fresh = feed(array('since' => '3fa85f64.0'));
    check(json_encode($fresh->data['changes']) === json_encode(array(
        array('seq' => 1, 'id' => 31, 'topic' => 'user.created', 'time' => time()),
        array('seq' => 2, 'id' => 31, 'topic' => 'user.updated', 'time' => time()))), 'the changes: ' . json_encode($fresh->data));
    check($fresh->data['cursor'] === '3fa85f64.0' && $fresh->data['more'] === false, 'unsettled: the cursor stays');
    check(feed(array('since' => ''))->data['cursor'] === '3fa85f64.2', 'an empty since: the position');
    age_changes(5);
    $settled = feed(array('since' => '3fa85f64.0'));
    check($settled->data['cursor'] === '3fa85f64.2' && count($settled->data['changes']) === 2, 'settled: passed');
    check(feed(array('since' => '3fa85f64.2'))->data === array('cursor' => '3fa85f64.2', 'changes' => array(), 'more' => false,
        'retention' => 604800), 'nothing after it');
    check(feed(array('since' => '3fa85f64.1'))->data['changes'][0]['seq'] === 2, 'after seq 1');
});

test('the feed pages by limit and says when there is more', function () {
    as_admin();
    feed_ready();
    foreach (array(41, 42, 43) as $id) {
        do_action('profile_update', $id);
        do_action('shutdown');
    }
    age_changes(10);
    $page = feed(array('since' => '3fa85f64.0', 'limit' => 2));
    check(count($page->data['changes']) === 2 && $page->data['more'] === true && $page->data['cursor'] === '3fa85f64.2',
        'first page: ' . json_encode($page->data));
    $page = feed(array('since' => $page->data['cursor'], 'limit' => 2));
    check(count($page->data['changes']) === 1 && $page->data['more'] === false && $page->data['cursor'] === '3fa85f64.3',
        'last page: ' . json_encode($page->data));
    $gets = logged('get_results');
    check(strpos(end($gets)[1], 'LIMIT 3') !== false, 'asks for one row beyond the limit');
});

test('the feed refuses a bad cursor (400) and an expired one (410), naming why', function () {
    as_admin();
    feed_ready();
    foreach (array('nonsense', '3fa85f64.x', '3FA85F64.1') as $bad) {
        $error = feed(array('since' => $bad));
        check(is_wp_error($error) && $error->get_error_code() === 'usermesh_bad_cursor' && $error->get_error_data()['status'] === 400,
            "400 for $bad");
    }
    $reset = feed(array('since' => '00000000.0'));
    check(is_wp_error($reset) && $reset->get_error_code() === 'usermesh_cursor_expired' && $reset->get_error_data()['status'] === 410
        && strpos($reset->get_error_message(), 'the feed was reset') !== false, 'another epoch: 410');
    $ahead = feed(array('since' => '3fa85f64.1'));
    check(is_wp_error($ahead) && $ahead->get_error_code() === 'usermesh_cursor_expired'
        && strpos($ahead->get_error_message(), 'ahead') !== false, 'ahead of an empty feed: 410');
});

test('reading the feed prunes what is older than the retention; cursors before it expire, at it do not', function () {
    as_admin();
    feed_ready();
    foreach (array(51, 52, 53) as $id) {
        do_action('profile_update', $id);
        do_action('shutdown');
    }
    age_changes(700000);
    do_action('profile_update', 54);
    do_action('shutdown');
    $answer = feed(array('since' => '3fa85f64.3'));
    check(get_option('usermesh_changes_pruned') === 3, 'pruned up to seq 3: ' . json_encode(get_option('usermesh_changes_pruned')));
    check(array_keys($GLOBALS['wpdb']->changes) === array(4), 'rows 1 to 3 deleted: ' . json_encode(array_keys($GLOBALS['wpdb']->changes)));
    check(!is_wp_error($answer) && $answer->data['changes'][0]['id'] === 54, 'a cursor at the pruned seq goes on');
    $old = feed(array('since' => '3fa85f64.2'));
    check(is_wp_error($old) && $old->get_error_data()['status'] === 410
        && strpos($old->get_error_message(), 'pruned (retention 604800 s)') !== false, '410 for a cursor before it');
    age_changes(700000);
    check(feed()->data['cursor'] === '3fa85f64.4', 'all old: the position is still the highest seq');
    check(array_keys($GLOBALS['wpdb']->changes) === array(4) && get_option('usermesh_changes_pruned') === 4,
        'the newest row stays (a restart of MySQL < 8 must not hand out its seq again)');
    $queries = count(logged('query'));
    feed();
    check(count(logged('query')) === $queries, 'nothing more to prune: no delete');
    do_action('profile_update', 55);
    do_action('shutdown');
    age_changes(10);
    $next = feed(array('since' => '3fa85f64.4'));
    check($next->data['changes'][0]['seq'] === 5 && $next->data['cursor'] === '3fa85f64.5', 'seqs go on after it');
});

test('the feed is for administrators only', function () {
    check(Usermesh_Changes::allowed() === false, 'nobody signed in');
    $GLOBALS['um_caps'] = array('edit_users', 'list_users', 'edit_user');
    check(Usermesh_Changes::allowed() === false, 'an editor of users who is no administrator');
});

// Must stay the last test: it makes the stubbed WordPress a 6.8, which cannot be undone.
test('on WordPress 6.8 the filter leaves $wp$ to WordPress and verifies phpass $H$, which 6.8 does not', function () {
    function wp_password_needs_rehash($hash, $user_id = '') {
        return false;
    }
    // WordPress's class-phpass.php, reduced to what a $H$ hash needs (portable hashes verify alike under $P$ and $H$)
    class PasswordHash {
        public function CheckPassword($password, $hash) {
            return $password === PW && $hash === '$H$' . substr(PHPASS, 3);
        }
    }
    $h = '$H$' . substr(PHPASS, 3);
    check(Usermesh_Passwords::valid_hash($h), 'a $H$ hash is accepted');
    check(apply_filters('check_password', false, PW, $h, 3) === true, 'and signs in');
    check(apply_filters('check_password', false, 'wrong horse', $h, 3) === false, 'with the right password only');
    check(apply_filters('check_password', false, PW, wp68_hash(PW), 3) === false, '6.8\'s own no about a $wp$ hash stands');
});

echo "companion: $tests tests, $failures failure(s)\n";
exit($failures === 0 ? 0 : 1);

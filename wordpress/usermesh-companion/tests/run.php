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
function wp_remote_post($url, $args) {
    $GLOBALS['um_posts'][] = array('url' => $url, 'args' => $args);
    return array('response' => array('code' => 202));
}
function is_wp_error($thing) {
    return false;
}
function wp_remote_retrieve_response_code($response) {
    return $response['response']['code'];
}

require __DIR__ . '/../usermesh-companion.php';

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
    do_action('shutdown'); // nothing left from the test before
    $GLOBALS['um_posts'] = array();
    $body();
}

function configure() {
    update_option('usermesh_hook_url', 'http://127.0.0.1:8280/hooks/shop');
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
    check($post['url'] === 'http://127.0.0.1:8280/hooks/shop', 'to the hook URL');
    check($event['topic'] === 'user.updated' && $event['id'] === 12 && $event['source'] === 'http://shop.test',
        'topic, user and source in the body');
    check(preg_match('/^[A-Za-z0-9._:-]{1,64}$/', $event['event']) === 1, 'an event id usermesh accepts');
    $headers = $post['args']['headers'];
    check($headers['X-Usermesh-Signature'] === 'sha256=' . hash_hmac('sha256',
        $headers['X-Usermesh-Timestamp'] . '.' . $post['args']['body'], 's3cret'), 'signed');
    check(abs((int) $headers['X-Usermesh-Timestamp'] - time()) <= 1, 'timestamp is now');
    check($post['args']['blocking'] === false, 'not waited for without PHP-FPM');
    check(get_option('usermesh_last_push')['result'] === 'sent, not waited for', 'the last push is recorded');
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
    update_option('usermesh_hook_url', 'http://127.0.0.1:8280/hooks/shop');
    do_action('profile_update', 9);
    do_action('shutdown');
    check(count($GLOBALS['um_posts']) === 0, 'no push without both settings');
});

echo "companion: $tests tests, $failures failure(s)\n";
exit($failures === 0 ? 0 : 1);

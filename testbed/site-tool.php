<?php
/*
 * Helper for testbed/wordpress.sh (PHP CLI). Not meant to be run by hand.
 *
 *   php site-tool.php db-ping
 *   php site-tool.php db-create    <index>
 *   php site-tool.php db-list                       (prints usermesh_wp_% databases)
 *   php site-tool.php db-drop      <name>
 *   php site-tool.php write-config <index> <state_dir> (/etc/wordpress/config-<ip>.php)
 *   php site-tool.php is-installed <index>           (exit 0 = installed, 3 = not)
 *   php site-tool.php install      <index> <state_dir>
 *   php site-tool.php reset-users  <index>
 *
 * DB connection: env USERMESH_TESTBED_DB_HOST/_DB_PORT/_DB_USER/_DB_PASSWORD
 * (defaults 127.0.0.1 / 3306 / root / empty).
 * Secrets are written to files (mode 600) in the state dir, never printed.
 */

error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE);
ini_set('display_errors', 'stderr');

function fail($msg, $code = 1) {
    fwrite(STDERR, "site-tool: $msg\n");
    exit($code);
}

function env($name, $default) {
    $v = getenv($name);
    return ($v === false || $v === '') ? $default : $v;
}

function db_connect() {
    mysqli_report(MYSQLI_REPORT_OFF);
    $m = @new mysqli(
        env('USERMESH_TESTBED_DB_HOST', '127.0.0.1'),
        env('USERMESH_TESTBED_DB_USER', 'root'),
        (string) getenv('USERMESH_TESTBED_DB_PASSWORD'),
        '',
        (int) env('USERMESH_TESTBED_DB_PORT', '3306')
    );
    if ($m->connect_errno) {
        fail('cannot connect to MariaDB: ' . $m->connect_error, 2);
    }
    return $m;
}

function site_index($argv) {
    if (!isset($argv[2]) || !preg_match('/^[1-9][0-9]*$/', $argv[2])) {
        fail('site index missing or invalid');
    }
    return (int) $argv[2];
}

function db_name($i) {
    return 'usermesh_wp_' . $i;
}

/* Write a secret atomically, mode 600, no trailing newline. */
function write_secret($path, $value) {
    $old = umask(0077);
    $tmp = $path . '.tmp' . getmypid();
    if (file_put_contents($tmp, $value) === false || !rename($tmp, $path)) {
        umask($old);
        fail("cannot write $path");
    }
    chmod($path, 0600);
    umask($old);
}

function read_secret($path) {
    if (!is_readable($path)) {
        return null;
    }
    $v = trim((string) file_get_contents($path));
    return $v === '' ? null : $v;
}

/* Prepare loading WordPress for site $i from the CLI (Debian's wp-config.php picks
 * /etc/wordpress/config-<HTTP_HOST>.php). wp-load.php itself must be required at
 * file scope: WordPress relies on its top-level variables being globals. */
function prepare_wp($i, $installing) {
    $ip = '127.0.0.' . ($i + 1);
    $port = env('USERMESH_TESTBED_PORT', '8081');
    $_SERVER['HTTP_HOST'] = $ip;
    $_SERVER['SERVER_NAME'] = $ip;
    $_SERVER['SERVER_PORT'] = $port;
    $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
    $_SERVER['REQUEST_METHOD'] = 'GET';
    $_SERVER['REQUEST_URI'] = '/';
    $_SERVER['SCRIPT_NAME'] = '/index.php';
    $_SERVER['PHP_SELF'] = '/index.php';
    if (!file_exists("/etc/wordpress/config-$ip.php")) {
        fail("/etc/wordpress/config-$ip.php missing");
    }
    if ($installing) {
        define('WP_INSTALLING', true);
    }
    // Pluggable: no "new site" mail during wp_install().
    if (!function_exists('wp_new_blog_notification')) {
        function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password) {}
    }
}

$cmd = $argv[1] ?? '';
if ($cmd === 'install' || $cmd === 'reset-users') {
    prepare_wp(site_index($argv), $cmd === 'install');
    // the site's WordPress: Debian 12's 6.1, or the unpacked 6.8 (wordpress.sh site_root)
    require_once env('USERMESH_TESTBED_WP_ROOT', '/usr/share/wordpress') . '/wp-load.php';
    require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    require_once ABSPATH . 'wp-admin/includes/user.php';
}
switch ($cmd) {
case 'db-ping':
    db_connect()->close();
    exit(0);

case 'db-create':
    $i = site_index($argv);
    $m = db_connect();
    if (!$m->query('CREATE DATABASE IF NOT EXISTS `' . db_name($i) . '` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci')) {
        fail('CREATE DATABASE failed: ' . $m->error);
    }
    exit(0);

case 'db-list':
    $m = db_connect();
    $r = $m->query("SHOW DATABASES LIKE 'usermesh\\_wp\\_%'");
    while ($row = $r->fetch_row()) {
        echo $row[0], "\n";
    }
    exit(0);

case 'db-drop':
    $name = $argv[2] ?? '';
    if (!preg_match('/^usermesh_wp_[0-9]+$/', $name)) {
        fail("refusing to drop '$name'");
    }
    $m = db_connect();
    if (!$m->query("DROP DATABASE IF EXISTS `$name`")) {
        fail('DROP DATABASE failed: ' . $m->error);
    }
    exit(0);

case 'write-config':
    // /etc/wordpress/config-<ip>.php, rewritten only when its content would change.
    $i = site_index($argv);
    $state = $argv[3] ?? fail('state dir missing');
    $ip = '127.0.0.' . ($i + 1);
    $url = 'http://' . $ip . ':' . env('USERMESH_TESTBED_PORT', '8081');
    $file = "/etc/wordpress/config-$ip.php";
    $marker = 'usermesh-testbed';
    if (file_exists($file) && strpos((string) file_get_contents($file), $marker) === false) {
        fail("$file exists and was not written by testbed/wordpress.sh; refusing to overwrite it");
    }
    // Salts: random once per site, kept in the state dir so re-runs do not log people out.
    $salts_file = "$state/site$i.salts";
    $salts = is_readable($salts_file) ? json_decode((string) file_get_contents($salts_file), true) : null;
    $names = array('AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY',
                   'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT');
    if (!is_array($salts) || count(array_intersect_key($salts, array_flip($names))) !== count($names)) {
        $salts = array();
        foreach ($names as $n) {
            $salts[$n] = bin2hex(random_bytes(32));
        }
        write_secret($salts_file, json_encode($salts));
    }
    $db_host = env('USERMESH_TESTBED_DB_HOST', '127.0.0.1');
    $db_port = env('USERMESH_TESTBED_DB_PORT', '3306');
    if ($db_port !== '3306') {
        $db_host .= ':' . $db_port;
    }
    $consts = array(
        'DB_NAME' => db_name($i),
        'DB_USER' => env('USERMESH_TESTBED_DB_USER', 'root'),
        'DB_PASSWORD' => (string) getenv('USERMESH_TESTBED_DB_PASSWORD'),
        'DB_HOST' => $db_host,
        'DB_CHARSET' => 'utf8mb4',
        'DB_COLLATE' => '',
        'WP_HOME' => $url,
        'WP_SITEURL' => $url,
        // Application Passwords need https unless the environment type is 'local'.
        'WP_ENVIRONMENT_TYPE' => 'local',
        'WP_DEBUG' => false,
        'WP_DEBUG_DISPLAY' => false,
        'WP_DEBUG_LOG' => false,
        'SCRIPT_DEBUG' => false,
        // No loopback HTTP calls to wp-cron.php on every request, no update checks,
        // no outbound HTTP at all (the machine has no internet; avoids timeouts).
        'DISABLE_WP_CRON' => true,
        'AUTOMATIC_UPDATER_DISABLED' => true,
        // WP_AUTO_UPDATE_CORE: Debian's wp-config.php sets it (6.8's without checking, so not here)
        'WP_HTTP_BLOCK_EXTERNAL' => true,
        // Debian default, shared by all sites (only the twentytwentythree theme, no plugins active).
        'WP_CONTENT_DIR' => '/var/lib/wordpress/wp-content',
        // Must-use plugins of the test bed (e.g. register_meta(... show_in_rest ...)); loaded
        // by every site when the folder exists. Kept in the repo, not in the shared wp-content.
        'WPMU_PLUGIN_DIR' => __DIR__ . '/mu-plugins',
        // usermesh's companion plugin runs on every site but 3, 6, 9, ... (mu-plugins/usermesh-companion.php):
        // each IT sees sites with it and one without. Its pushes go to a runner on 127.0.0.1.
        'USERMESH_TESTBED_COMPANION' => $i % 3 !== 0,
        'WP_ACCESSIBLE_HOSTS' => '127.0.0.1',
    ) + $salts;
    $php = "<?php\n// $marker: site $i, written by testbed/wordpress.sh; removed by 'wordpress.sh down'.\n";
    foreach ($consts as $k => $v) {
        $php .= "define('$k', " . var_export($v, true) . ");\n";
    }
    $php .= "\$table_prefix = 'wp_';\n";
    if (file_exists($file) && file_get_contents($file) === $php) {
        echo "unchanged\n";
        exit(0);
    }
    if (!is_dir('/etc/wordpress')) {
        mkdir('/etc/wordpress', 0755, true);
    }
    write_secret($file, $php);
    echo "written\n";
    exit(0);

case 'is-installed':
    $i = site_index($argv);
    $m = db_connect();
    $db = db_name($i);
    $r = $m->query("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA='$db' AND TABLE_NAME='wp_options'");
    if (!$r || !$r->fetch_row()) {
        exit(3);
    }
    $r = $m->query("SELECT option_value FROM `$db`.wp_options WHERE option_name='siteurl'");
    exit(($r && $r->fetch_row()) ? 0 : 3);

case 'install':
    $i = site_index($argv);
    $state = $argv[3] ?? fail('state dir missing');
    $did_install = false;

    $admin_pw_file = "$state/site$i.admin-password";
    $app_pw_file = "$state/site$i.app-password";

    if (!is_blog_installed()) {
        $admin_pw = wp_generate_password(20, false);
        $result = wp_install("usermesh test site $i", 'admin', "admin@site$i.test", false, '', $admin_pw);
        if (is_wp_error($result) || empty($result['user_id'])) {
            fail('wp_install failed');
        }
        write_secret($admin_pw_file, $admin_pw);
        $did_install = true;
    }

    // A site installed by another WordPress version gets its database upgraded.
    if (!$did_install && (int) get_option('db_version') !== (int) $wp_db_version) {
        wp_upgrade();
    }

    // Idempotent settings (cheap; applied on every "up").
    if (get_option('permalink_structure') !== '/%postname%/') {
        $wp_rewrite->set_permalink_structure('/%postname%/');
    }
    // Rules are rebuilt lazily on the first web request (rest_api_init registers wp-json rules there).
    if ($did_install) {
        delete_option('rewrite_rules');
    }
    update_option('blog_public', '0');
    update_option('users_can_register', '0');
    update_option('default_role', 'subscriber');

    $admin = get_user_by('login', 'admin');
    if (!$admin) {
        fail("site $i: user 'admin' not found");
    }

    // Admin password: keep the stored one if it still matches, else set a new one.
    $admin_pw = read_secret($admin_pw_file);
    if ($admin_pw === null || !wp_check_password($admin_pw, $admin->user_pass, $admin->ID)) {
        $admin_pw = wp_generate_password(20, false);
        wp_set_password($admin_pw, $admin->ID);
        write_secret($admin_pw_file, $admin_pw);
        $admin = get_user_by('login', 'admin');
    }

    // Application password: keep the stored one if WordPress still accepts it.
    // WordPress refuses a second password with the same name, so each new one is
    // "usermesh-<random>"; older ones stay valid (another state dir may hold one)
    // and only the oldest beyond the newest 4 are pruned.
    $app_pw = read_secret($app_pw_file);
    $app_ok = false;
    $items = WP_Application_Passwords::get_user_application_passwords($admin->ID);
    $ours = array_values(array_filter($items, function ($item) {
        return $item['name'] === 'usermesh' || strpos($item['name'], 'usermesh-') === 0;
    }));
    if ($app_pw !== null) {
        $raw = preg_replace('/[^a-z\d]/i', '', $app_pw);
        foreach ($ours as $item) {
            if (wp_check_password($raw, $item['password'], $admin->ID)) {
                $app_ok = true;
                break;
            }
        }
    }
    if (!$app_ok) {
        usort($ours, function ($a, $b) { return $b['created'] <=> $a['created']; });
        foreach (array_slice($ours, 4) as $item) {
            WP_Application_Passwords::delete_application_password($admin->ID, $item['uuid']);
        }
        $name = 'usermesh-' . bin2hex(random_bytes(4));
        $created = WP_Application_Passwords::create_new_application_password($admin->ID, array('name' => $name));
        if (is_wp_error($created)) {
            fail('create_new_application_password: ' . $created->get_error_message());
        }
        write_secret($app_pw_file, WP_Application_Passwords::chunk_password($created[0]));
    }
    echo $did_install ? 'installed' : 'already installed', $app_ok ? '' : ', new application password', "\n";
    exit(0);

case 'reset-users':
    $i = site_index($argv);
    $admin = get_user_by('login', 'admin');
    if (!$admin) {
        fail("site $i: user 'admin' not found");
    }
    $ids = $wpdb->get_col($wpdb->prepare("SELECT ID FROM {$wpdb->users} WHERE ID <> %d", $admin->ID));
    foreach ($ids as $id) {
        wp_delete_user((int) $id, $admin->ID);
    }
    // Leftovers from direct SQL inserts, if any.
    $wpdb->query($wpdb->prepare("DELETE FROM {$wpdb->usermeta} WHERE user_id <> %d", $admin->ID));
    echo 'site ', $i, ': deleted ', count($ids), " user(s)\n";
    exit(0);

default:
    fail("unknown command '$cmd'");
}

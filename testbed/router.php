<?php
/*
 * Router for PHP's built-in web server serving Debian's WordPress
 * (php -S <ip>:<port> -t /usr/share/wordpress testbed/router.php).
 *
 * - existing files (static assets, wp-login.php, wp-admin/*.php, xmlrpc.php...)
 *   are handed back to the built-in server (return false), which serves or runs them;
 * - a directory with an index.php (/wp-admin/) likewise;
 * - everything else (pretty permalinks, /wp-json/...) goes to index.php, as
 *   Apache's WordPress .htaccess would do.
 */

// Basic auth for Application Passwords. The built-in server normally fills
// PHP_AUTH_USER/PHP_AUTH_PW itself; this covers the cases where it does not.
if (!isset($_SERVER['PHP_AUTH_USER']) && isset($_SERVER['HTTP_AUTHORIZATION'])
    && stripos($_SERVER['HTTP_AUTHORIZATION'], 'basic ') === 0) {
    $decoded = base64_decode(substr($_SERVER['HTTP_AUTHORIZATION'], 6), true);
    if ($decoded !== false && strpos($decoded, ':') !== false) {
        list($_SERVER['PHP_AUTH_USER'], $_SERVER['PHP_AUTH_PW']) = explode(':', $decoded, 2);
    }
}

$root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');
$path = rawurldecode((string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));

if ($path !== '' && $path !== '/' && strpos($path, '..') === false && strpos($path, "\0") === false) {
    $file = $root . $path;
    if (is_file($file)) {
        return false;
    }
    if (is_dir($file) && is_file(rtrim($file, '/') . '/index.php')) {
        return false;
    }
}

// Front controller.
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
unset($_SERVER['PATH_INFO'], $_SERVER['ORIG_PATH_INFO']);
chdir($root);
require $root . '/index.php';

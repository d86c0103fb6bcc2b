<?php
/**
 * Plugin Name:       usermesh companion
 * Description:       Tells usermesh at once when a user changes on this site (signed pushes to the runner's /hooks/{siteId}), lets it sync password hashes, any user meta and per-user sync flags over REST, and keeps a feed of the users that changed.
 * Version:           0.3.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            usermesh
 * License:           Apache-2.0
 *
 * Works as a normal plugin or as a must-use plugin. Settings: the wp-config constants
 * USERMESH_HOOK_URL (the runner's full /hooks/{siteId} URL) and USERMESH_HOOK_SECRET (the
 * site's webhook.secret in usermesh's sites.yaml), or the same two fields on Settings → usermesh.
 *
 * A push only names a user ("look at user 12"): usermesh reads the user from this site's REST API,
 * so a lost or forged push can do no more than make it look. Pushes are sent once the page is done,
 * never blocking it or breaking it; requests made by usermesh itself (its application password) push
 * nothing, so nothing echoes.
 *
 * Over REST (administrators only) usermesh reads and writes what WordPress keeps to itself: password
 * hashes (never a plaintext), user meta that is not registered for REST, each user's sync flags,
 * which people set on the profile screen, and a feed of the users that changed (usermesh/v1/changes),
 * recorded whether pushes are set up or not. See docs/companion.md.
 */

if (!defined('ABSPATH')) {
    exit;
}

require_once __DIR__ . '/includes/class-usermesh-keys.php';
require_once __DIR__ . '/includes/class-usermesh-push.php';
require_once __DIR__ . '/includes/class-usermesh-changes.php';
require_once __DIR__ . '/includes/class-usermesh-settings.php';
require_once __DIR__ . '/includes/class-usermesh-passwords.php';
require_once __DIR__ . '/includes/class-usermesh-meta.php';
require_once __DIR__ . '/includes/class-usermesh-flags.php';
require_once __DIR__ . '/includes/class-usermesh-field.php';
require_once __DIR__ . '/includes/class-usermesh-expect.php';
require_once __DIR__ . '/includes/class-usermesh-user-routes.php';
require_once __DIR__ . '/includes/class-usermesh-profile.php';

Usermesh_Push::boot();
Usermesh_Changes::boot();
Usermesh_Settings::boot();
Usermesh_Passwords::boot();
Usermesh_Field::boot();
Usermesh_Expect::boot();
Usermesh_User_Routes::boot();
Usermesh_Profile::boot();

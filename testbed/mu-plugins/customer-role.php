<?php
// WooCommerce's "customer" role (read only, as WooCommerce creates it), so that sync tests can move
// customers on a test bed without WooCommerce; their billing_* and shipping_* meta are written with
// update_user_meta, as WooCommerce does.
// Not while WordPress installs: the installer loads must-use plugins before wp_options exists.
add_action('init', function () {
    if (!wp_installing() && is_blog_installed() && !get_role('customer')) {
        add_role('customer', 'Customer', array('read' => true));
    }
});

<?php
// WooCommerce's "customer" role (read only, as WooCommerce creates it), so that sync tests can move
// customers on a test bed without WooCommerce; their billing_* and shipping_* meta are written with
// update_user_meta, as WooCommerce does.
add_action('init', function () {
    if (!get_role('customer')) {
        add_role('customer', 'Customer', array('read' => true));
    }
});

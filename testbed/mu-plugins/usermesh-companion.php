<?php
// The test bed runs usermesh's companion plugin (wordpress/usermesh-companion) as a must-use plugin
// on the sites whose config sets USERMESH_TESTBED_COMPANION (every site but 3, 6, ...: see
// site-tool.php). It stays inert until a hook URL and secret are set (CompanionPushIT sets them).
if (defined('USERMESH_TESTBED_COMPANION') && USERMESH_TESTBED_COMPANION) {
    require_once dirname(__DIR__, 2) . '/wordpress/usermesh-companion/usermesh-companion.php';
}

<?php
/**
 * A feed of the users that changed on this site, for usermesh to read instead of listing every user:
 * each request's changes (what Usermesh_Push collects) are recorded as rows of {prefix}usermesh_changes,
 * and administrators read them after a cursor:
 *
 *   GET usermesh/v1/changes                 → {"cursor":"<epoch>.<seq>","changes":[],"more":false,"retention":604800}
 *   GET usermesh/v1/changes?since=<cursor>  → {"cursor":"…","changes":[{"seq":7,"id":12,"topic":"user.updated","time":1700000000}],
 *                                              "more":false,"retention":604800}
 *   400 usermesh_bad_cursor, 410 usermesh_cursor_expired (the runner then lists every user once)
 *
 * Like a push, a row only says "look at user 12": usermesh reads the user itself. Rows older than the
 * retention are pruned when the feed is read, so the table stays small without a cron job.
 */

if (!defined('ABSPATH')) {
    exit;
}

final class Usermesh_Changes {

    /** Bumped when the table changes: the next request runs dbDelta once. */
    const SCHEMA = '1';
    const SCHEMA_OPTION = 'usermesh_changes_schema';
    const EPOCH_OPTION = 'usermesh_changes_epoch';
    const PRUNED_OPTION = 'usermesh_changes_pruned';
    const RETENTION_OPTION = 'usermesh_changes_retention';
    /** Seven days: a runner that was down for a long weekend still resumes without a full listing. */
    const RETENTION = 604800;
    /**
     * Seconds a row must be old before the cursor passes it. AUTO_INCREMENT values are taken when a row
     * is inserted but become visible when it is committed, so between concurrent requests seq 9 may show
     * up after seq 10; a cursor that passed 10 at once would never see 9.
     */
    const SETTLE = 5;
    const LIMIT = 1000;
    const MAX_LIMIT = 5000;
    const CURSOR = '/^[0-9a-f]{8}\.[0-9]+$/D'; // D: no trailing newline slips through $

    public static function boot() {
        // no activation hook: the plugin also runs as a must-use plugin, which is never activated
        add_action('plugins_loaded', array(__CLASS__, 'install'));
        add_action('rest_api_init', array(__CLASS__, 'routes'));
    }

    public static function table() {
        global $wpdb;
        return $wpdb->prefix . 'usermesh_changes';
    }

    /** Whether the table is there in this schema: an autoloaded option, so no query on each request. */
    public static function ready() {
        return (string) get_option(self::SCHEMA_OPTION, '') === self::SCHEMA;
    }

    /**
     * Creates or upgrades the table when the schema option says so. The schema is recorded only once
     * the table exists, so a failed CREATE (no privilege) is retried and nothing is recorded meanwhile.
     */
    public static function install() {
        global $wpdb;
        // not before WordPress itself is installed: a must-use plugin is loaded by the installer too,
        // when there is no options table yet to read or record the schema in
        if (wp_installing() || !is_blog_installed()) {
            return;
        }
        if (self::ready()) {
            return;
        }
        require_once ABSPATH . 'wp-admin/includes/upgrade.php';
        $table = self::table();
        // a failure must not print into every page until it is fixed: it is logged instead
        $shown = $wpdb->suppress_errors(true);
        // dbDelta's format: one column per line, two spaces after PRIMARY KEY
        dbDelta("CREATE TABLE {$table} (
  seq bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  user_id bigint(20) unsigned NOT NULL,
  topic varchar(20) NOT NULL,
  changed_at bigint(20) unsigned NOT NULL,
  PRIMARY KEY  (seq),
  KEY changed_at (changed_at)
) " . $wpdb->get_charset_collate() . ';');
        $exists = $wpdb->get_var($wpdb->prepare('SHOW TABLES LIKE %s', $wpdb->esc_like($table))) === $table;
        $wpdb->suppress_errors($shown);
        if (!$exists) {
            error_log('usermesh: the changes table could not be created: ' . (string) $wpdb->last_error);
            return;
        }
        self::epoch();
        update_option(self::SCHEMA_OPTION, self::SCHEMA, true);
    }

    /**
     * The feed's epoch, 8 hex characters, part of every cursor: a feed that starts over (the option was
     * deleted with the table) gets a new one, so cursors of the old feed expire instead of skipping rows.
     */
    public static function epoch() {
        global $wpdb;
        $epoch = (string) get_option(self::EPOCH_OPTION, '');
        if (preg_match('/^[0-9a-f]{8}$/', $epoch)) {
            return $epoch;
        }
        $epoch = bin2hex(random_bytes(4));
        if (!add_option(self::EPOCH_OPTION, $epoch, '', true)) {
            // another request set it first (or it holds something else): the stored one counts
            $stored = (string) $wpdb->get_var($wpdb->prepare(
                "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::EPOCH_OPTION));
            if (preg_match('/^[0-9a-f]{8}$/', $stored)) {
                return $stored;
            }
            update_option(self::EPOCH_OPTION, $epoch, true);
        }
        return $epoch;
    }

    /**
     * Records the request's changes (user id => topic), one row each, with ONE insert. Called from
     * Usermesh_Push::flush at shutdown, whether or not pushes are set up. Never throws and prints
     * nothing (the response is already out); a lost row is found by usermesh's periodic full listing.
     *
     * @param array<int,string> $pending
     */
    public static function record(array $pending) {
        global $wpdb;
        if (!$pending || !self::ready() || !is_object($wpdb)) {
            return;
        }
        $now = time();
        $rows = array();
        $args = array();
        foreach ($pending as $user_id => $topic) {
            if ((int) $user_id > 0) {
                $rows[] = '(%d, %s, %d)';
                array_push($args, (int) $user_id, (string) $topic, $now);
            }
        }
        if (!$rows) {
            return;
        }
        try {
            $shown = method_exists($wpdb, 'suppress_errors') ? $wpdb->suppress_errors(true) : false;
            $result = $wpdb->query($wpdb->prepare('INSERT INTO ' . self::table()
                . ' (user_id, topic, changed_at) VALUES ' . implode(', ', $rows), $args));
            if (method_exists($wpdb, 'suppress_errors')) {
                $wpdb->suppress_errors($shown);
            }
            if ($result === false) {
                error_log('usermesh: changes not recorded: ' . (string) $wpdb->last_error);
            }
        } catch (Throwable $e) {
            error_log('usermesh: changes not recorded: ' . $e->getMessage());
        }
    }

    public static function routes() {
        register_rest_route('usermesh/v1', '/changes', array(
            'methods' => 'GET',
            'callback' => array(__CLASS__, 'feed'),
            'permission_callback' => array(__CLASS__, 'allowed'),
            'args' => array(
                'since' => array('type' => 'string'),
                'limit' => array('type' => 'integer'),
            ),
        ));
    }

    /** Administrators only, like the other usermesh/v1 routes: the feed names who changed and when. */
    public static function allowed() {
        return current_user_can('manage_options');
    }

    /**
     * The feed. Each request costs a few range queries on the primary key and the changed_at index:
     * the prune, MAX(seq), and the rows after the cursor; it never reads a user.
     *
     * @return WP_REST_Response|WP_Error
     */
    public static function feed($request) {
        global $wpdb;
        if (!self::ready()) {
            return new WP_Error('usermesh_changes_unavailable', 'The changes table could not be created.', array('status' => 503));
        }
        $table = self::table();
        $now = time();
        $retention = self::retention();
        $pruned = self::prune($now, $retention);
        $epoch = self::epoch();
        $high = max((int) $wpdb->get_var("SELECT MAX(seq) FROM {$table}"), $pruned, 0);
        $since = (string) $request['since'];
        if ($since === '') {
            return self::answer(self::format_cursor($epoch, $high), array(), false, $retention);
        }
        $cursor = self::parse_cursor($since);
        if ($cursor === null) {
            return new WP_Error('usermesh_bad_cursor', 'since must be a cursor this feed gave out (<epoch>.<seq>).', array('status' => 400));
        }
        $expired = self::expired($cursor, $epoch, $pruned, $high, $retention);
        if ($expired !== null) {
            return new WP_Error('usermesh_cursor_expired', 'The cursor has expired: ' . $expired . '.', array('status' => 410));
        }
        $limit = self::limit($request['limit']);
        $rows = $wpdb->get_results($wpdb->prepare(
            "SELECT seq, user_id, topic, changed_at FROM {$table} WHERE seq > %d ORDER BY seq LIMIT %d",
            $cursor['seq'], $limit + 1), ARRAY_A);
        $rows = is_array($rows) ? $rows : array();
        $more = count($rows) > $limit;
        $changes = array();
        foreach (array_slice($rows, 0, $limit) as $row) {
            $changes[] = array(
                'seq' => (int) $row['seq'],
                'id' => (int) $row['user_id'],
                'topic' => (string) $row['topic'],
                'time' => (int) $row['changed_at'],
            );
        }
        $next = self::settled_seq($cursor['seq'], $changes, $now - self::SETTLE);
        return self::answer(self::format_cursor($epoch, $next), $changes, $more, $retention);
    }

    /**
     * Deletes the rows older than the retention and returns the highest seq ever pruned. The option is
     * written before the rows go, so no reader sees them gone without seeing that they were pruned.
     * The newest row of the table always stays: on MySQL before 8.0 (and MariaDB before 10.2.4) a
     * restart sets AUTO_INCREMENT to MAX(seq) + 1, and an emptied table would hand out seqs again that
     * lie below the cursors already given out.
     */
    public static function prune($now, $retention) {
        global $wpdb;
        $table = self::table();
        $pruned = (int) get_option(self::PRUNED_OPTION, 0);
        $max = $wpdb->get_var($wpdb->prepare("SELECT MAX(seq) FROM {$table} WHERE changed_at < %d", $now - $retention));
        if ($max === null) {
            return $pruned;
        }
        $max = (int) $max;
        if ($max <= $pruned) {
            return $pruned; // pruned before (the newest row, kept, can be old)
        }
        update_option(self::PRUNED_OPTION, $max, false);
        $top = (int) $wpdb->get_var("SELECT MAX(seq) FROM {$table}");
        $wpdb->query($wpdb->prepare("DELETE FROM {$table} WHERE seq <= %d AND seq < %d", $max, $top));
        return $max;
    }

    /** Seconds rows are kept: USERMESH_CHANGES_RETENTION, else the option, else 7 days; below 1 counts as unset. */
    public static function retention() {
        if (defined('USERMESH_CHANGES_RETENTION') && (int) USERMESH_CHANGES_RETENTION >= 1) {
            return (int) USERMESH_CHANGES_RETENTION;
        }
        $option = (int) get_option(self::RETENTION_OPTION, 0);
        return $option >= 1 ? $option : self::RETENTION;
    }

    /** 1000 when not given, else within 1..5000. */
    public static function limit($limit) {
        if ($limit === null || $limit === '') {
            return self::LIMIT;
        }
        return max(1, min(self::MAX_LIMIT, (int) $limit));
    }

    public static function format_cursor($epoch, $seq) {
        return $epoch . '.' . (int) $seq;
    }

    /** @return array{epoch:string,seq:int}|null null for anything this feed cannot have given out */
    public static function parse_cursor($cursor) {
        if (!is_string($cursor) || !preg_match(self::CURSOR, $cursor)) {
            return null;
        }
        list($epoch, $seq) = explode('.', $cursor, 2);
        return array('epoch' => $epoch, 'seq' => (int) $seq); // a seq beyond PHP_INT_MAX saturates: ahead
    }

    /**
     * Why a cursor can no longer be followed, or null when it can. A cursor at exactly the pruned seq
     * is fine: it says everything up to there was seen, and nothing after it was deleted.
     *
     * @param array{epoch:string,seq:int} $cursor
     * @return string|null
     */
    public static function expired(array $cursor, $epoch, $pruned, $high, $retention) {
        if ($cursor['epoch'] !== $epoch) {
            return 'the feed was reset';
        }
        if ($cursor['seq'] < $pruned) {
            return sprintf('changes after the cursor were pruned (retention %d s)', $retention);
        }
        if ($cursor['seq'] > $high) {
            return 'the cursor is ahead of the feed';
        }
        return null;
    }

    /**
     * The seq the cursor moves to: past the longest run of changes, in seq order, made at or before
     * $settled_before. Changes after the first unsettled one are still answered, but come again next
     * time, so that a row committed late with a lower seq is not passed over.
     *
     * @param array<int,array{seq:int,time:int}> $changes
     */
    public static function settled_seq($since, array $changes, $settled_before) {
        $seq = (int) $since;
        foreach ($changes as $change) {
            if ((int) $change['time'] > $settled_before) {
                break;
            }
            $seq = (int) $change['seq'];
        }
        return $seq;
    }

    private static function answer($cursor, array $changes, $more, $retention) {
        $response = new WP_REST_Response(array(
            'cursor' => $cursor,
            'changes' => $changes,
            'more' => (bool) $more,
            'retention' => (int) $retention,
        ));
        // a cached feed would hand out an old cursor; WordPress's own no-cache headers lack no-store before 6.8
        $response->header('Cache-Control', 'no-store');
        add_filter('nocache_headers', array('Usermesh_User_Routes', 'nocache_headers'));
        return $response;
    }
}

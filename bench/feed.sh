#!/usr/bin/env bash
# Benchmark: what polling costs an idle big site with the companion's changes feed (site7) and
# without it (site9, no companion: the baseline), and how soon a change is found through the feed
# with no pushes.
#
#   bench/feed.sh                                   # 20,000 extra users per site, 5 min each
#   BENCH_USERS=20000 BENCH_MINUTES=10 BENCH_EDITS=20 bench/feed.sh
#
# Idle cost, per site: a runner polls it every 30 s (the default pollInterval) for BENCH_MINUTES
# after its first poll (the baseline listing, which is not counted). Requests are the connections
# the site's PHP server accepted in that window (the test bed's server closes each connection
# after one request, so one connection is one request; the health probe's are in it too), site
# CPU is the user + system time of its PHP server and workers (from /proc); both are scaled to one
# hour. MariaDB's share is not in it (one server serves every site).
# Detection latency: a runner polls site7 every 5 s; BENCH_EDITS edits of one user through REST,
# each after a random pause of 0-5 s, each timed from the edit's answer until the runner's
# snapshot of the user holds it (the change is detected and recorded). No pushes: the plugin has
# no hook URL.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

N=${BENCH_USERS:-20000}
MINUTES=${BENCH_MINUTES:-5}
EDITS=${BENCH_EDITS:-20}
FEED_SITE=7
PLAIN_SITE=9
PREFIX=umbf

cleanup() {
    stop_runner
    drop_databases
    local site
    for site in "$FEED_SITE" "$PLAIN_SITE"; do
        delete_users "$site" "$PREFIX" || log "could not delete the bench users of site $site"
    done
    remove_workdir
}

accepted() { grep -c ' Accepted$' "$TESTBED_DIR/site$1.log" || true; }

# runner_for SITE INTERVAL: a runner polling SITE alone every INTERVAL.
runner_for() {
    local site=$1 interval=$2
    mkdir -p "$WORK/config"
    write_properties "$WORK/config"
    { printf 'defaults:\n  pollInterval: %s\nsites:\n' "$interval"; site_yaml "$site"; printf 'links: []\n'; } \
        >"$WORK/config/sites.yaml"
    start_runner "site$site-$interval" "$site"
}

# idle SITE: appends "idle siteN requests site_cpu_ms seconds" over BENCH_MINUTES of 30 s polls after
# the first to the results (not run in a $(…) subshell: start_runner records its database for cleanup).
idle() {
    local site=$1 r0 c0 t0
    runner_for "$site" 30s
    sleep 2 # the first poll's last page and its snapshot writes
    r0=$(accepted "$site"); c0=$(site_cpu_ms "$site"); t0=$(now_ms)
    sleep $((MINUTES * 60))
    echo "idle site$site $(($(accepted "$site") - r0)) $(($(site_cpu_ms "$site") - c0)) $((($(now_ms) - t0) / 1000))" \
        | tee -a "$WORK/results.txt"
    stop_runner
}

# One edit of user ID on the feed site, then ms until the runner's snapshot has the new name.
detect_ms() {
    local id=$1 name=$2 t0
    curl -sS -f -o /dev/null -K "$(curl_auth "$FEED_SITE")" -H 'Content-Type: application/json' \
        -d "{\"first_name\":\"$name\"}" "$(site_url "$FEED_SITE")/wp-json/wp/v2/users/$id"
    t0=$(now_ms)
    until [[ $(runner_sql "SELECT COUNT(*) FROM user_snapshot WHERE site_id = 'site$FEED_SITE'
                AND wp_user_id = $id AND state LIKE '%\"$name\"%'") == 1 ]]; do
        (($(now_ms) - t0 < 60000)) || die "edit $name not detected within 60 s; see $RUN_LOG"
        sleep 0.05
    done
    echo $(($(now_ms) - t0))
}

runner_sql() { mysql -h "$DB_HOST" -P "$DB_PORT" -u root -N -B "${DATABASES[-1]}" -e "$*"; }

main() {
    bench_start
    local site id i results="$WORK/results.txt"
    for site in "$FEED_SITE" "$PLAIN_SITE"; do
        delete_users "$site" "$PREFIX"
        insert_users "$site" "$PREFIX" "$N"
        wp_sql "$site" "DELETE FROM wp_options WHERE option_name IN ('usermesh_hook_url', 'usermesh_hook_secret')"
    done
    log "sites have $(wp_sql "$FEED_SITE" "SELECT COUNT(*) FROM wp_users") and" \
        "$(wp_sql "$PLAIN_SITE" "SELECT COUNT(*) FROM wp_users") users; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    : >"$results"
    for site in "$PLAIN_SITE" "$FEED_SITE"; do
        log "site$site idle, polled every 30 s for $MINUTES min"
        idle "$site"
    done

    log "detection through the feed, polls every 5 s, $EDITS edits"
    runner_for "$FEED_SITE" 5s
    sleep 6 # the first poll through the feed
    id=$(wp_sql "$FEED_SITE" "SELECT ID FROM wp_users WHERE user_login = '${PREFIX}0'")
    for ((i = 1; i <= EDITS; i++)); do
        sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", r % 500 / 100 }')"
        echo "latency $(detect_ms "$id" "Feed$i$RANDOM")" | tee -a "$results"
    done
    stop_runner
    log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

    echo
    echo "| idle site, $N extra users, polled every 30 s | requests / hour | site CPU s / hour | ratio of requests | ratio of CPU |"
    echo "|---|---:|---:|---:|---:|"
    local plain feed
    plain=$(awk -v s="site$PLAIN_SITE" '$2 == s { printf "%d %.1f", $3 * 3600 / $5, $4 * 3.6 / $5 }' "$results")
    feed=$(awk -v s="site$FEED_SITE" '$2 == s { printf "%d %.1f", $3 * 3600 / $5, $4 * 3.6 / $5 }' "$results")
    echo "| without the companion (full listing every poll): site$PLAIN_SITE | ${plain% *} | ${plain#* } | 1 | 1 |"
    echo "| with the companion's changes feed: site$FEED_SITE | ${feed% *} | ${feed#* } |" \
        "$(ratio "${feed% *}" "${plain% *}") | $(ratio "${feed#* }" "${plain#* }") |"
    echo
    # shellcheck disable=SC2046
    set -- $(awk '$1 == "latency" { print $2 }' "$results" | sort -n)
    echo "Detection through the feed, polls every 5 s, $# edits: min $1 ms, median $(min_median "$@" | cut -d' ' -f2) ms," \
        "p90 $(eval echo "\${$(( ($# * 9 + 9) / 10 ))}") ms, max ${!#} ms"
}

main "$@"

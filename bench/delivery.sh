#!/usr/bin/env bash
# Benchmark: delivery throughput of a running usermesh, site7 -> site8 (push link,
# pollInterval 2s, a throw-away MariaDB database), against baselines in the same run:
# curl writing the same users straight to site8.
#
#   bench/delivery.sh                        # N = 200 users, 3 repetitions
#   BENCH_USERS=1000 BENCH_REPEAT=1 BENCH_TARGET_EXTRA=20000 bench/delivery.sh
#
# Per repetition, with N users:
#   baseline seq   N POST /wp-json/wp/v2/users to site8, one after the other
#   baseline par4  the same with 4 requests in flight (usermesh delivers with 4 per site)
#   usermesh rest  usermesh running; N users POSTed to site7 one after the other;
#                  time from the first POST until all N exist on site8
#   usermesh burst usermesh running; N users inserted into site7's database at once;
#                  time from the insert until all N exist on site8 (detection + delivery
#                  alone, without site7's own REST writes competing for the CPU)
#   usermesh edits usermesh running; the first name of those N users changed in site7's
#                  database at once; time until all N show it on site8
#   baseline edits (runner stopped) N POST /wp-json/wp/v2/users/{id} with a new first
#                  name to site8, 4 in flight: the ceiling for the edits
# "Exist on site8" is counted in site8's database every 200 ms. The baselines run while
# no runner runs. Every repetition gets a fresh usermesh database; all bench users and
# the databases are removed at the end, also on failure. BENCH_TARGET_EXTRA users
# (default 0) are inserted into site8 first, to show that a delivery's cost does not
# grow with the target's size.
set -euo pipefail
# a failure inside $(...) stops the run, not only the subshell
shopt -s inherit_errexit
source "$(dirname "$0")/lib.sh"

N=${BENCH_USERS:-200}
REPEAT=${BENCH_REPEAT:-3}
SOURCE=7
TARGET=8
PREFIX=umbd                       # logins umbd<rep><kind><n>; letters and digits only
DELIVERY_TIMEOUT=${BENCH_TIMEOUT:-900}   # seconds to wait for all N on the target
EXTRA=${BENCH_TARGET_EXTRA:-0}    # users inserted into the target before the runs
EXTRA_PREFIX=umbx

cleanup() {
    stop_runner
    drop_databases
    local site
    for site in "$SOURCE" "$TARGET"; do
        delete_users "$site" "$PREFIX" || log "could not delete the bench users of site $site"
    done
    delete_users "$TARGET" "$EXTRA_PREFIX" || log "could not delete the extra users of site $TARGET"
    remove_workdir
}

write_config() {
    mkdir -p "$WORK/config"
    write_properties "$WORK/config"
    echo "usermesh.shutdown.timeout=5s" >>"$WORK/config/application.properties"
    # the baselines write 4 at a time: usermesh too (its adaptive limit could otherwise go higher)
    printf 'usermesh.delivery.concurrency=4\nusermesh.delivery.maxConcurrency=4\n' >>"$WORK/config/application.properties"
    {
        printf 'defaults:\n  pollInterval: 2s\nsites:\n'
        site_yaml "$SOURCE"
        # site7 runs the companion, whose changes feed does not see rows inserted straight into
        # the database (the burst and the edits below): every poll of it lists all its users.
        printf '    fullScanInterval: 1s\n'
        site_yaml "$TARGET"
        # The target's own changes go nowhere (push link): polling it only costs the machine
        # CPU, all the more with BENCH_TARGET_EXTRA users, and would blur what delivery costs.
        printf '    pollInterval: 10m\n'
        cat <<EOF
links:
  - between: [site$SOURCE, site$TARGET]
    direction: push
EOF
    } >"$WORK/config/sites.yaml"
}


# POSTs every body of PREFIX to SITE with PARALLEL requests in flight; fails on any non-2xx.
post_users() {
    local site=$1 prefix=$2 parallel=$3
    find "$WORK/bodies/$prefix" -name '*.json' | sort -V \
        | xargs -P "$parallel" -I{} curl -sS -f --max-time 60 -o /dev/null -K "$(curl_auth "$site")" \
            -H 'Content-Type: application/json' --data-binary @{} "$(site_url "$site")/wp-json/wp/v2/users"
}

# Prints the ms it takes to POST N users to the target, then removes them again.
baseline_ms() {
    local prefix=$1 parallel=$2 start elapsed
    write_bodies "$prefix"
    start=$(now_ms)
    post_users "$TARGET" "$prefix" "$parallel" || die "baseline POSTs to site$TARGET failed"
    elapsed=$(($(now_ms) - start))
    [[ $(count_users "$TARGET" "$prefix") == "$N" ]] || die "baseline: not all $N users on site$TARGET"
    delete_users "$TARGET" "$prefix"
    echo "$elapsed"
}

# Waits until all N users of PREFIX exist on the target; prints the time that happened (ms).
wait_delivered() {
    local prefix=$1 deadline=$((SECONDS + DELIVERY_TIMEOUT))
    until [[ $(count_users "$TARGET" "$prefix") == "$N" ]]; do
        ((SECONDS < deadline)) || die "only $(count_users "$TARGET" "$prefix") of $N users reached site$TARGET in ${DELIVERY_TIMEOUT}s; see $RUN_LOG"
        sleep 0.2
    done
    now_ms
}

# usermesh, users created over REST on the source: prints "create_ms end_to_end_ms".
rest_run() {
    local prefix=$1 start created done_at
    write_bodies "$prefix"
    start=$(now_ms)
    post_users "$SOURCE" "$prefix" 1 || die "POSTs to site$SOURCE failed"
    created=$(now_ms)
    done_at=$(wait_delivered "$prefix")
    echo "$((created - start)) $((done_at - start))"
}

# usermesh, users inserted into the source's database at once: prints end_to_end_ms.
burst_run() {
    local prefix=$1 start done_at
    start=$(now_ms)
    insert_users "$SOURCE" "$prefix" "$N"
    done_at=$(wait_delivered "$prefix")
    echo "$((done_at - start))"
}

# The number of PREFIX users on SITE whose first name is NAME.
count_named() {
    wp_sql "$1" "SELECT COUNT(*) FROM wp_users u JOIN wp_usermeta m ON m.user_id = u.ID
        WHERE u.user_login LIKE '$2%' AND m.meta_key = 'first_name' AND m.meta_value = '$3'"
}

# usermesh, the first name of PREFIX's users changed in the source's database at once:
# prints the ms until all N show it on the target.
edit_run() {
    local prefix=$1 name=$2 start deadline=$((SECONDS + DELIVERY_TIMEOUT))
    start=$(now_ms)
    wp_sql "$SOURCE" "UPDATE wp_usermeta m JOIN wp_users u ON u.ID = m.user_id SET m.meta_value = '$name'
        WHERE u.user_login LIKE '$prefix%' AND m.meta_key = 'first_name'" >/dev/null
    until [[ $(count_named "$TARGET" "$prefix" "$name") == "$N" ]]; do
        ((SECONDS < deadline)) || die "only $(count_named "$TARGET" "$prefix" "$name") of $N edits reached site$TARGET in ${DELIVERY_TIMEOUT}s; see $RUN_LOG"
        sleep 0.2
    done
    echo "$(($(now_ms) - start))"
}

# The same edits POSTed straight to the target, 4 in flight: prints the ms.
edit_baseline_ms() {
    local prefix=$1 name=$2 start elapsed
    wp_sql "$TARGET" "SELECT ID FROM wp_users WHERE user_login LIKE '$prefix%'" >"$WORK/ids-$prefix"
    start=$(now_ms)
    xargs -P 4 -I{} curl -sS -f --max-time 60 -o /dev/null -K "$(curl_auth "$TARGET")" \
        -H 'Content-Type: application/json' --data-binary "{\"first_name\":\"$name\"}" \
        "$(site_url "$TARGET")/wp-json/wp/v2/users/{}" <"$WORK/ids-$prefix" || die "baseline edits to site$TARGET failed"
    elapsed=$(($(now_ms) - start))
    [[ $(count_named "$TARGET" "$prefix" "$name") == "$N" ]] || die "baseline: not all $N edits on site$TARGET"
    echo "$elapsed"
}

main() {
    bench_start
    write_config
    log "machine: $(nproc) cores; $(java -version 2>&1 | head -1); N=$N users, $REPEAT repetition(s)"

    if ((EXTRA > 0)); then
        log "inserting $EXTRA extra users into site$TARGET"
        delete_users "$TARGET" "$EXTRA_PREFIX"
        insert_users "$TARGET" "$EXTRA_PREFIX" "$EXTRA"
    fi
    log "site$TARGET has $(wp_sql "$TARGET" "SELECT COUNT(*) FROM wp_users") users; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

    local results="$WORK/results.txt" r seq par out create rest burst edit editbase
    echo "rep seq_ms par4_ms rest_create_ms rest_e2e_ms burst_ms edit_ms edit_par4_ms rest/seq rest/par4 burst/seq burst/par4 edit/edit_par4" | tee "$results"
    for ((r = 1; r <= REPEAT; r++)); do
        log "repetition $r: baselines"
        seq=$(baseline_ms "${PREFIX}${r}s" 1)
        par=$(baseline_ms "${PREFIX}${r}p" 4)
        log "repetition $r: usermesh"
        start_runner "delivery_$r" "$SOURCE" "$TARGET"
        out=$(rest_run "${PREFIX}${r}r")
        read -r create rest <<<"$out"
        burst=$(burst_run "${PREFIX}${r}b")
        edit=$(edit_run "${PREFIX}${r}b" "Edited$r")
        stop_runner
        editbase=$(edit_baseline_ms "${PREFIX}${r}b" "Direct$r")
        # Remove this repetition's users while no runner watches (no deletions are synced).
        delete_users "$SOURCE" "$PREFIX"
        delete_users "$TARGET" "$PREFIX"
        echo "$r $seq $par $create $rest $burst $edit $editbase $(ratio "$rest" "$seq") $(ratio "$rest" "$par") $(ratio "$burst" "$seq") $(ratio "$burst" "$par") $(ratio "$edit" "$editbase")" \
            | tee -a "$results"
    done
    log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    summary "$results"
}

# Markdown table: min / median per column, ratios of the medians, users per second.
summary() {
    local results=$1 col
    declare -A mm=() med=()
    for col in 2 3 4 5 6 7 8; do
        # shellcheck disable=SC2046
        mm[$col]=$(min_median $(awk -v c="$col" 'NR > 1 { print $c }' "$results"))
        med[$col]=${mm[$col]#* }
    done
    echo
    echo "| $N users | ms (min / median) | users/s (median) | ratio to seq (median) | ratio to par4 (median) |"
    echo "|---|---:|---:|---:|---:|"
    row() { echo "| $1 | ${mm[$2]/ / \/ } | $(awk -v n="$N" -v ms="${med[$2]}" 'BEGIN { printf "%.1f", n * 1000 / ms }') | $(ratio "${med[$2]}" "${med[2]}") | $(ratio "${med[$2]}" "${med[3]}") |"; }
    row "baseline: curl POST to site$TARGET, sequential" 2
    row "baseline: curl POST to site$TARGET, 4 in parallel" 3
    row "creating them on site$SOURCE (REST, sequential)" 4
    row "usermesh: first POST on site$SOURCE until all on site$TARGET" 5
    row "usermesh: SQL insert on site$SOURCE until all on site$TARGET" 6
    echo
    echo "| $N edits | ms (min / median) | edits/s (median) | ratio to direct edits, 4 in parallel (median) |"
    echo "|---|---:|---:|---:|"
    erow() { echo "| $1 | ${mm[$2]/ / \/ } | $(awk -v n="$N" -v ms="${med[$2]}" 'BEGIN { printf "%.1f", n * 1000 / ms }') | $(ratio "${med[$2]}" "${med[8]}") |"; }
    erow "baseline: curl POST /users/{id} to site$TARGET, 4 in parallel" 8
    erow "usermesh: SQL update on site$SOURCE until all on site$TARGET" 7
}

main "$@"

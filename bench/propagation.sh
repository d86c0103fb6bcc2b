#!/usr/bin/env bash
# Benchmark: propagation of a running usermesh from one source to two targets, site7 -> site8
# and site7 -> site9 (two push links, a throw-away MariaDB database, 4 writes at once per
# target), against a baseline in the same run: curl writing the same users straight to site8
# and site9, 4 requests in flight per site, both sites at the same time.
#
#   bench/propagation.sh                     # N = 1000 users, 1 repetition
#   BENCH_TARGET_EXTRA=20000 bench/propagation.sh
#
# Per repetition, with N users:
#   baseline creates  (no runner) N POST /wp-json/wp/v2/users to site8 and the same N to
#                     site9, 4 in flight per site, both sites at once; time until both are done
#   warm-up           (untimed) the runner delivers BENCH_WARMUP (default N) creates and edits
#                     of users of its own first: a JVM's first minute is its JIT compiling
#   usermesh creates  usermesh running; N users inserted into site7's database at once; time
#                     until all N exist on site8 and on site9
#   usermesh edits    the first name of those N users changed in site7's database at once;
#                     time until all N show it on site8 and on site9
#   baseline edits    (runner stopped) N POST /wp-json/wp/v2/users/{id} with a new first name
#                     to site8 and to site9, 4 in flight per site, both sites at once
# Every phase also records when each target was done. "Exist on" / "show it on" are counted in
# the targets' databases every 200 ms, in the baselines too: both sides are timed by the same
# observer, whose queries and mysql clients then load the machine equally in both. The ratio to
# the ceiling is baseline ms / usermesh ms: 1.0 = as fast as curl writing straight to the
# targets; higher is better.
#
# CPU: for each phase, the user + system time (from /proc) of site7's, site8's and site9's PHP
# servers with their workers, of the runner's JVM (usermesh phases only) and of MariaDB (which
# also serves the runner's own database and this script's counting queries; curl, xargs and
# the mysql clients of this script are not counted), in total and per user.
#
# Every repetition gets a fresh usermesh database; all bench users and the databases are
# removed at the end, also on failure. BENCH_TARGET_EXTRA users (default 0) are inserted into
# site8 and site9 first, to show what a big target costs.
set -euo pipefail
# A die in a function whose output is captured ($(...)) inside another captured function must
# stop the run too: without this, bash clears -e in command substitutions and the outer
# function would go on with an empty value.
shopt -s inherit_errexit
source "$(dirname "$0")/lib.sh"

N=${BENCH_USERS:-1000}
REPEAT=${BENCH_REPEAT:-1}
SOURCE=7
TARGETS=(8 9)
PARALLEL=4                        # requests in flight per target, for curl and for usermesh
PREFIX=umbp                       # logins umbp<rep><kind><n>; letters and digits only
PROPAGATION_TIMEOUT=${BENCH_TIMEOUT:-900}   # seconds to wait for all N on the targets
EXTRA=${BENCH_TARGET_EXTRA:-0}    # users inserted into both targets before the runs
EXTRA_PREFIX=umbx
WARMUP=${BENCH_WARMUP:-$N}        # creates and edits the runner delivers before it is measured
TABLE_STATS=${BENCH_TABLE_STATS:-0} # 1: log the rows MariaDB read per table in each phase
MYSQLD_PID=

cleanup() {
    stop_runner
    if ((TABLE_STATS)); then mysql -h "$DB_HOST" -P "$DB_PORT" -u root -e "SET GLOBAL userstat = 0" || true; fi
    drop_databases
    local site
    if [[ -n "${TESTBED_SITE7_DB:-}" ]]; then    # the test bed's sites.sh was read
        for site in "$SOURCE" "${TARGETS[@]}"; do
            delete_users "$site" "$PREFIX" || log "could not delete the bench users of site $site"
            delete_users "$site" "$EXTRA_PREFIX" || log "could not delete the extra users of site $site"
        done
    fi
    remove_workdir
}

write_config() {
    local target
    mkdir -p "$WORK/config"
    write_properties "$WORK/config"
    echo "usermesh.shutdown.timeout=5s" >>"$WORK/config/application.properties"
    # curl writes 4 at a time per site: usermesh too (its adaptive limit could otherwise go higher)
    printf 'usermesh.delivery.concurrency=%d\nusermesh.delivery.maxConcurrency=%d\n' "$PARALLEL" "$PARALLEL" \
        >>"$WORK/config/application.properties"
    {
        printf 'defaults:\n  pollInterval: 2s\nsites:\n'
        site_yaml "$SOURCE"
        # site7 runs the companion plugin: its polls read the changes feed, to which this script
        # adds a row per user it inserts or edits in site7's database (record_changes), as the
        # plugin does for a change made through WordPress. So the source is not listed whole
        # every 2 s, which on one machine would take CPU from the targets.
        for target in "${TARGETS[@]}"; do
            site_yaml "$target"
            # A target's own changes go nowhere (push links): polling it only costs the machine
            # CPU, all the more with BENCH_TARGET_EXTRA users, and would blur what delivery costs.
            printf '    pollInterval: 10m\n'
        done
        printf 'links:\n'
        for target in "${TARGETS[@]}"; do
            # no actions listed: create, edit and roles, enough here
            printf '  - between: [site%s, site%s]\n    direction: push\n' "$SOURCE" "$target"
        done
    } >"$WORK/config/sites.yaml"
}


# POSTs every body of PREFIX to SITE, PARALLEL requests in flight; fails on any non-2xx.
post_users() {
    local site=$1 prefix=$2
    find "$WORK/bodies/$prefix" -name '*.json' | sort -V \
        | xargs -P "$PARALLEL" -I{} curl -sS -f --max-time 60 -o /dev/null -K "$(curl_auth "$site")" \
            -H 'Content-Type: application/json' --data-binary @{} "$(site_url "$site")/wp-json/wp/v2/users"
}

# POSTs first name NAME to every user of PREFIX on SITE (ids read before the clock started),
# PARALLEL requests in flight; fails on any non-2xx.
post_edits() {
    local site=$1 prefix=$2 name=$3
    xargs -P "$PARALLEL" -I{} curl -sS -f --max-time 60 -o /dev/null -K "$(curl_auth "$site")" \
        -H 'Content-Type: application/json' --data-binary "{\"first_name\":\"$name\"}" \
        "$(site_url "$site")/wp-json/wp/v2/users/{}" <"$WORK/ids-$site-$prefix"
}

# on_targets FN ARG...: runs FN TARGET ARG... for every target at the same time; prints
# "total_ms target1_ms target2_ms", each from the common start.
on_targets() {
    local fn=$1 start end site pids=() pid failed=0 times=()
    shift
    rm -f "$WORK"/done-*
    start=$(now_ms)
    for site in "${TARGETS[@]}"; do
        ("$fn" "$site" "$@" && now_ms >"$WORK/done-$site") &
        pids+=("$!")
    done
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
    end=$(now_ms)
    ((failed == 0)) || return 1
    for site in "${TARGETS[@]}"; do times+=("$(($(<"$WORK/done-$site") - start))"); done
    echo "$((end - start)) ${times[*]}"
}

# The number of PREFIX users on SITE; with NAME, of those whose first name is NAME.
progress() {
    local site=$1 prefix=$2 name=${3:-}
    if [[ -z "$name" ]]; then
        count_users "$site" "$prefix"
    else
        wp_sql "$site" "SELECT COUNT(*) FROM wp_users u JOIN wp_usermeta m ON m.user_id = u.ID
            WHERE u.user_login LIKE '$prefix%' AND m.meta_key = 'first_name' AND m.meta_value = '$name'"
    fi
}

# Waits until all N users of PREFIX exist (with NAME: show first name NAME) on every target,
# looking every 200 ms; prints "total_ms target1_ms target2_ms", counted from START (ms).
# With WRITER (a pid), the writes come from that process: once it has ended, a count short of N
# fails at once instead of waiting for the timeout.
wait_targets() {
    local start=$1 prefix=$2 name=${3:-} writer=${4:-} deadline=$((SECONDS + PROPAGATION_TIMEOUT))
    local i left what ended=0
    local -a done_ms=()
    what=${name:+"edits ($name)"}
    what=${what:-users}
    while :; do
        left=0
        for i in "${!TARGETS[@]}"; do
            [[ -z "${done_ms[i]:-}" ]] || continue
            if [[ $(progress "${TARGETS[i]}" "$prefix" "$name") == "$N" ]]; then
                done_ms[i]=$(($(now_ms) - start))
            else
                left=$((left + 1))
            fi
        done
        ((left > 0)) || break
        if ((ended)); then
            die "the writes ended but not all $N $what are on the targets"
        fi
        if [[ -n "$writer" ]] && ! kill -0 "$writer" 2>/dev/null; then
            ended=1 # one more look: the last writes may have landed since this one
        fi
        if ((SECONDS >= deadline)); then
            for i in "${!TARGETS[@]}"; do
                log "site${TARGETS[i]}: $(progress "${TARGETS[i]}" "$prefix" "$name") of $N $what"
            done
            die "not all $N $what reached the targets in ${PROPAGATION_TIMEOUT}s; see $RUN_LOG"
        fi
        sleep 0.2
    done
    local max=0 t
    for t in "${done_ms[@]}"; do
        if ((t > max)); then max=$t; fi
    done
    echo "$max ${done_ms[*]}"
}

# CPU ms used so far by: site7's, site8's, site9's PHP, the runner (0 when none runs), MariaDB.
cpu_now() {
    local site jvm=0
    for site in "$SOURCE" "${TARGETS[@]}"; do printf '%s ' "$(site_cpu_ms "$site")"; done
    [[ -z "$RUN_PID" ]] || jvm=$(pid_cpu_ms "$RUN_PID")
    echo "$jvm $(pid_cpu_ms "$MYSQLD_PID")"
}

# cpu_used BEFORE AFTER (two cpu_now outputs): the differences, then their sum.
cpu_used() {
    awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= n; i++) { d = y[i] - x[i]; s += d; printf "%d ", d }; print s }'
}

# MariaDB's own counters so far (all databases): statements, rows read walking an index, rows
# read by full scans, commits. Their growth per user shows what the database work is, beside its CPU.
# Printed in the order of their names: Handler_commit Handler_read_next Handler_read_rnd_next Questions.
db_now() {
    if ((TABLE_STATS)); then mysql -h "$DB_HOST" -P "$DB_PORT" -u root -e "FLUSH TABLE_STATISTICS"; fi
    mysql -h "$DB_HOST" -P "$DB_PORT" -u root -N -B -e "SHOW GLOBAL STATUS WHERE Variable_name IN
        ('Questions', 'Handler_read_next', 'Handler_read_rnd_next', 'Handler_commit')" \
        | sort | awk '{ printf "%s ", $2 } END { print "" }'
}

# db_used PHASE BEFORE: the counters' growth since BEFORE (a db_now output), kept for the summary.
db_used() {
    local tables
    if ((TABLE_STATS)); then    # read before db_now flushes them
        tables=$(mysql -h "$DB_HOST" -P "$DB_PORT" -u root -N -B -e "SELECT CONCAT(TABLE_SCHEMA, '.',
            TABLE_NAME, ' ', ROWS_READ) FROM information_schema.TABLE_STATISTICS ORDER BY ROWS_READ DESC LIMIT 8")
        log "$1: rows read per table (userstat), the most first: ${tables//$'\n'/; }"
    fi
    awk -v a="$2" -v b="$(db_now)" 'BEGIN { n = split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= n; i++) printf "%d ", y[i] - x[i]; print "" }' >"$WORK/db-$1"
}

# baseline WRITER_FN PREFIX [NAME]: the curl writes of WRITER_FN to both targets in the
# background, timed by wait_targets as usermesh's are; prints the same as wait_targets.
baseline() {
    local fn=$1 prefix=$2 name=${3:-} start writer times
    start=$(now_ms)
    on_targets "$fn" "$prefix" $name >/dev/null &
    writer=$!
    times=$(wait_targets "$start" "$prefix" "$name" "$writer")
    wait "$writer" || die "baseline writes to the targets failed"
    echo "$times"
}

# Baseline creates: prints "total_ms site8_ms site9_ms php7 php8 php9 jvm mysqld cpu_total".
baseline_creates() {
    local prefix=$1 cpu0 times site db0
    write_bodies "$prefix"
    cpu0=$(cpu_now)
    db0=$(db_now)
    times=$(baseline post_users "$prefix")
    echo "$times $(cpu_used "$cpu0" "$(cpu_now)")"
    db_used baseline_creates "$db0"
    for site in "${TARGETS[@]}"; do
        [[ $(count_users "$site" "$prefix") == "$N" ]] || die "baseline: not all $N users on site$site"
        delete_users "$site" "$prefix"
    done
}

# usermesh creates: N users inserted into the source's database at once; prints the same.
usermesh_creates() {
    local prefix=$1 cpu0 start times after db0
    after=$(runner_sql "SELECT COALESCE(MAX(id), 0) FROM outbox")
    cpu0=$(cpu_now)
    db0=$(db_now)
    start=$(now_ms)
    insert_users "$SOURCE" "$prefix" "$N"
    record_changes "$prefix" user.created
    times=$(wait_targets "$start" "$prefix")
    echo "$times $(cpu_used "$cpu0" "$(cpu_now)")"
    db_used usermesh_creates "$db0"
    queued_to_done "$after" >"$WORK/window-creates"
}

# record_changes PREFIX TOPIC: one row per PREFIX user of the source in the companion's changes
# feed (wp_usermesh_changes), as the plugin records a change made through WordPress. The rows
# carry the time now, so the feed's settle window (5 s) holds them back as it would.
record_changes() {
    wp_sql "$SOURCE" "INSERT INTO wp_usermesh_changes (user_id, topic, changed_at)
        SELECT ID, '$2', UNIX_TIMESTAMP() FROM wp_users WHERE user_login LIKE '$1%' ORDER BY ID"
}

# The runner's own database (the last start_runner made).
runner_sql() {
    mysql -h "$DB_HOST" -P "$DB_PORT" -u root -N -B "${DATABASES[-1]}" -e "$*"
}

# queued_to_done AFTER_ID: from the runner's outbox, the delivery alone, without detection: per
# target, the ms from the first of the rows after AFTER_ID being queued until the last one was
# done; prints "max target1_ms target2_ms".
queued_to_done() {
    local after=$1 site max=0 t times=()
    for site in "${TARGETS[@]}"; do
        t=$(runner_sql "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(created_at), MAX(updated_at)) DIV 1000
            FROM outbox WHERE id > $after AND target_site = 'site$site' AND status = 'done'")
        times+=("$t")
        if ((t > max)); then max=$t; fi
    done
    echo "$max ${times[*]}"
}

# A runner's first deliveries run while its JIT compiler is busy compiling them (most of its
# CPU then): the runner first delivers WARMUP creates and edits of its own users, untimed, so
# that what is measured is a runner that has been running, as a deployed one has.
warm_up() {
    local prefix=$1 N=$WARMUP     # wait_targets counts up to N
    ((WARMUP > 0)) || return 0
    log "warm-up: $WARMUP creates and edits"
    usermesh_creates "$prefix" >/dev/null
    usermesh_edits "$prefix" Warm >/dev/null
}

# usermesh edits: the first name of PREFIX's users changed in the source's database at once;
# prints the same.
usermesh_edits() {
    local prefix=$1 name=$2 cpu0 start times after db0
    after=$(runner_sql "SELECT COALESCE(MAX(id), 0) FROM outbox")
    cpu0=$(cpu_now)
    db0=$(db_now)
    start=$(now_ms)
    wp_sql "$SOURCE" "UPDATE wp_usermeta m JOIN wp_users u ON u.ID = m.user_id SET m.meta_value = '$name'
        WHERE u.user_login LIKE '$prefix%' AND m.meta_key = 'first_name'" >/dev/null
    record_changes "$prefix" user.updated
    times=$(wait_targets "$start" "$prefix" "$name")
    echo "$times $(cpu_used "$cpu0" "$(cpu_now)")"
    db_used usermesh_edits "$db0"
    queued_to_done "$after" >"$WORK/window-edits"
}

# Baseline edits: the same edits POSTed straight to the targets; prints the same.
baseline_edits() {
    local prefix=$1 name=$2 cpu0 times site db0
    for site in "${TARGETS[@]}"; do
        wp_sql "$site" "SELECT ID FROM wp_users WHERE user_login LIKE '$prefix%'" >"$WORK/ids-$site-$prefix"
    done
    cpu0=$(cpu_now)
    db0=$(db_now)
    times=$(baseline post_edits "$prefix" "$name")
    echo "$times $(cpu_used "$cpu0" "$(cpu_now)")"
    db_used baseline_edits "$db0"
    for site in "${TARGETS[@]}"; do
        [[ $(progress "$site" "$prefix" "$name") == "$N" ]] || die "baseline: not all $N edits on site$site"
    done
}

users_on_targets() {
    local site
    for site in "${TARGETS[@]}"; do
        printf 'site%s has %s users; ' "$site" "$(wp_sql "$site" "SELECT COUNT(*) FROM wp_users")"
    done
}

main() {
    bench_start
    write_config
    MYSQLD_PID=$(pgrep -x mariadbd || pgrep -x mysqld) || die "no mariadbd or mysqld process found"
    MYSQLD_PID=${MYSQLD_PID%%$'\n'*}
    if ((TABLE_STATS)); then    # userstat counts rows per table and index; off again in cleanup
        mysql -h "$DB_HOST" -P "$DB_PORT" -u root -e "SET GLOBAL userstat = 1"
    fi
    log "machine: $(nproc) cores; $(java -version 2>&1 | head -1); N=$N users, $REPEAT repetition(s)"
    log "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

    local site
    for site in "$SOURCE" "${TARGETS[@]}"; do
        delete_users "$site" "$PREFIX"
        delete_users "$site" "$EXTRA_PREFIX"
    done
    if ((EXTRA > 0)); then
        for site in "${TARGETS[@]}"; do
            log "inserting $EXTRA extra users into site$site"
            insert_users "$site" "$EXTRA_PREFIX" "$EXTRA"
        done
    fi
    log "$(users_on_targets)"

    local results="$WORK/results.txt" cpu="$WORK/cpu.txt" r bc uc ue be out phase
    local -a b_c u_c u_e b_e
    echo "rep base_create_ms base_create_site8_ms base_create_site9_ms um_create_ms um_create_site8_ms um_create_site9_ms um_edit_ms um_edit_site8_ms um_edit_site9_ms base_edit_ms base_edit_site8_ms base_edit_site9_ms create_ratio edit_ratio" \
        | tee "$results"
    echo "rep phase wall_ms php7_ms php8_ms php9_ms jvm_ms mysqld_ms total_ms" >"$cpu"
    for ((r = 1; r <= REPEAT; r++)); do
        log "repetition $r: baseline creates"
        bc=$(baseline_creates "${PREFIX}${r}c")
        log "repetition $r: usermesh"
        start_runner "propagation_$r" "$SOURCE" "${TARGETS[@]}"
        warm_up "${PREFIX}${r}w"
        uc=$(usermesh_creates "${PREFIX}${r}u")
        ue=$(usermesh_edits "${PREFIX}${r}u" "Edited$r")
        echo "$r $(<"$WORK/window-creates") $(<"$WORK/window-edits")" >>"$WORK/windows.txt"
        stop_runner
        log "repetition $r: baseline edits"
        be=$(baseline_edits "${PREFIX}${r}u" "Direct$r")
        for phase in baseline_creates usermesh_creates usermesh_edits baseline_edits; do
            echo "$r $phase $(<"$WORK/db-$phase")" >>"$WORK/db.txt"
        done
        # Remove this repetition's users while no runner watches (no deletions are synced).
        for site in "$SOURCE" "${TARGETS[@]}"; do delete_users "$site" "$PREFIX"; done

        read -r -a b_c <<<"$bc"
        read -r -a u_c <<<"$uc"
        read -r -a u_e <<<"$ue"
        read -r -a b_e <<<"$be"
        echo "$r ${b_c[*]:0:3} ${u_c[*]:0:3} ${u_e[*]:0:3} ${b_e[*]:0:3} $(ratio "${b_c[0]}" "${u_c[0]}") $(ratio "${b_e[0]}" "${u_e[0]}")" \
            | tee -a "$results"
        for out in "baseline_creates ${b_c[*]}" "usermesh_creates ${u_c[*]}" \
            "usermesh_edits ${u_e[*]}" "baseline_edits ${b_e[*]}"; do
            # phase total_ms t8 t9 php7 php8 php9 jvm mysqld sum -> phase wall php7 ... sum
            awk -v r="$r" '{ print r, $1, $2, $5, $6, $7, $8, $9, $10 }' <<<"$out" >>"$cpu"
        done
    done
    log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    log "$(users_on_targets)"
    echo
    cat "$cpu"
    summary "$results" "$cpu" "$WORK/windows.txt"
    db_summary "$WORK/db.txt"
}

# What MariaDB did per user in each phase (medians over the repetitions; all its databases: the
# sites', the runner's, this script's counting queries).
db_summary() {
    local phase col m cells
    echo
    echo "| MariaDB per user (median) | statements | commits | rows read walking an index | rows read by full scans |"
    echo "|---|---:|---:|---:|---:|"
    for phase in baseline_creates usermesh_creates usermesh_edits baseline_edits; do
        cells=""
        # columns of db.txt: rep phase Handler_commit Handler_read_next Handler_read_rnd_next Questions
        for col in 6 3 4 5; do
            # shellcheck disable=SC2046
            m=$(min_median $(awk -v p="$phase" -v c="$col" '$2 == p { print $c }' "$1"))
            cells+=" $(awk -v v="${m#* }" -v n="$N" 'BEGIN { printf "%.1f", v / n }') |"
        done
        echo "| ${phase/_/ } |$cells"
    done
}

# Markdown tables: min / median per column, users per second per target, the ratio of the
# medians to the ceiling; then the CPU of each phase (medians), in total and per user.
summary() {
    local results=$1 cpu=$2 col
    declare -A mm=() med=()
    for col in 2 3 4 5 6 7 8 9 10 11 12 13; do
        # shellcheck disable=SC2046
        mm[$col]=$(min_median $(awk -v c="$col" 'NR > 1 { print $c }' "$results"))
        med[$col]=${mm[$col]#* }
    done
    local extra=""
    ((EXTRA == 0)) || extra=", $EXTRA extra users on each target"
    echo
    echo "Ratio to the ceiling = baseline ms / usermesh ms (medians): 1.0 = as fast as curl writing straight to the targets, higher is better. Users/s = N per target per second. $N users, $REPEAT repetition(s)$extra."
    echo
    echo "| $N creates on site${TARGETS[0]} and site${TARGETS[1]} | ms (min / median) | users/s per target (median) | ratio to the ceiling (median) | site${TARGETS[0]} done, ms (median) | site${TARGETS[1]} done, ms (median) |"
    echo "|---|---:|---:|---:|---:|---:|"
    row() {
        echo "| $1 | ${mm[$2]/ / \/ } | $(awk -v n="$N" -v ms="${med[$2]}" 'BEGIN { printf "%.1f", n * 1000 / ms }') | $(ratio "${med[$3]}" "${med[$2]}") | ${med[$(($2 + 1))]} | ${med[$(($2 + 2))]} |"
    }
    row "baseline: curl POST to both, $PARALLEL in flight per site" 2 2
    row "usermesh: SQL insert on site$SOURCE until all on both" 5 2
    echo
    echo "| $N edits on site${TARGETS[0]} and site${TARGETS[1]} | ms (min / median) | edits/s per target (median) | ratio to the ceiling (median) | site${TARGETS[0]} done, ms (median) | site${TARGETS[1]} done, ms (median) |"
    echo "|---|---:|---:|---:|---:|---:|"
    row "baseline: curl POST /users/{id} to both, $PARALLEL in flight per site" 11 11
    row "usermesh: SQL update on site$SOURCE until all on both" 8 11

    # the delivery alone, from the runner's outbox: detection (the feed's settle window, the poll
    # interval, reading the named users) left out
    local windows=$3 w
    declare -A wm=()
    for col in 2 3 4 5 6 7; do
        # shellcheck disable=SC2046
        w=$(min_median $(awk -v c="$col" '{ print $c }' "$windows"))
        wm[$col]=${w#* }
    done
    echo
    echo "| usermesh, delivery alone: the first change queued until the last delivered (its outbox) | ms (median) | users/s per target | ratio to the ceiling | site${TARGETS[0]} ms | site${TARGETS[1]} ms |"
    echo "|---|---:|---:|---:|---:|---:|"
    wrow() {
        echo "| $1 | ${wm[$2]} | $(awk -v n="$N" -v ms="${wm[$2]}" 'BEGIN { printf "%.1f", n * 1000 / ms }') | $(ratio "${med[$3]}" "${wm[$2]}") | ${wm[$(($2 + 1))]} | ${wm[$(($2 + 2))]} |"
    }
    wrow creates 2 2
    wrow edits 5 11

    local phase
    echo
    echo "| CPU ms (median) | wall ms | site$SOURCE PHP | site${TARGETS[0]} PHP | site${TARGETS[1]} PHP | usermesh JVM | MariaDB | total | cores busy |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for phase in baseline_creates usermesh_creates usermesh_edits baseline_edits; do
        awk -v p="$phase" '$2 == p' "$cpu" | cpu_row "$phase" 0
    done
    echo
    echo "| CPU ms per user (median; a user = one create or edit on each of both targets) | site$SOURCE PHP | site${TARGETS[0]} PHP | site${TARGETS[1]} PHP | usermesh JVM | MariaDB | total |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for phase in baseline_creates usermesh_creates usermesh_edits baseline_edits; do
        awk -v p="$phase" '$2 == p' "$cpu" | cpu_row "$phase" 1
    done
}

# One CPU table row from the cpu.txt lines of one phase on stdin: the median of each column;
# PER_USER 1: divided by N, without wall time and cores busy.
cpu_row() {
    local phase=$1 per_user=$2 col values=() m wall total
    local lines
    lines=$(cat)
    for col in 3 4 5 6 7 8 9; do
        # shellcheck disable=SC2046
        m=$(min_median $(awk -v c="$col" '{ print $c }' <<<"$lines"))
        values+=("${m#* }")
    done
    wall=${values[0]}
    total=${values[6]}
    local label=${phase/_/ } cells=() i
    if [[ "$phase" == baseline_* ]]; then values[4]="-"; fi   # no runner in the baselines
    if ((per_user)); then
        for ((i = 1; i <= 5; i++)); do
            if [[ "${values[i]}" == - ]]; then cells+=("-"); else
                cells+=("$(awk -v v="${values[i]}" -v n="$N" 'BEGIN { printf "%.2f", v / n }')")
            fi
        done
        total=$(awk -v v="$total" -v n="$N" 'BEGIN { printf "%.2f", v / n }')
        echo "| $label | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} | ${cells[4]} | $total |"
    else
        echo "| $label | $wall | ${values[1]} | ${values[2]} | ${values[3]} | ${values[4]} | ${values[5]} | $total | $(awk -v c="$total" -v w="$wall" 'BEGIN { printf "%.2f", (w > 0) ? c / w : 0 }') |"
    fi
}

main "$@"

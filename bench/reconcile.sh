#!/usr/bin/env bash
# Benchmark: `usermesh reconcile --dry-run` over three test-bed sites with N users each,
# against a baseline in the same run: paging through the same sites' user lists with curl.
#
#   bench/reconcile.sh                       # N = 1000 5000 20000, 3 repetitions each
#   BENCH_SIZES="1000 5000" BENCH_REPEAT=2 bench/reconcile.sh
#   BENCH_SIZES=100000 BENCH_PLAIN=0 BENCH_SMALL_HEAPS="96m 128m" bench/reconcile.sh
#
# Per N it inserts N users straight into the databases of sites 7, 8 and 9 (the same
# users on all three; on 8 and 9 every tenth has another last name, so the plan holds
# updates), then per repetition:
#   baseline   GET /wp-json/wp/v2/users?context=edit&per_page=100&page=K for every page,
#              one curl loop per site, the three sites in parallel (reconcile lists
#              one thread per site too); once as written ("plain", WordPress's default
#              order by display name) and once with the query usermesh sends ("same":
#              _fields=... and orderby=id&order=asc, the very requests usermesh makes)
#   usermesh   java -Xmx256m -jar usermesh.jar reconcile --dry-run: its summary line
#              gives the time to list and plan and the heap peak, its GC log the most heap
#              left in use after a collection (what the run keeps); the whole command
#              (JVM start included) is timed too
# and once per N the same dry run under ever larger heaps, -Xmx64m 96m 128m 192m
# (BENCH_SMALL_HEAPS), up to the first that passes: the heap peak under 256m includes
# garbage not yet collected; the smallest heap that passes shows what the run needs.
# Prints one line per measurement and markdown tables (min / median) on stdout.
# The users are deleted at the end, also on failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SIZES=${BENCH_SIZES:-1000 5000 20000}
REPEAT=${BENCH_REPEAT:-3}
SITES=(7 8 9)
PREFIX=umbrc                      # logins umbrc0.. ; letters and digits only (LIKE pattern)
HEAP=256m
SMALL_HEAPS=${BENCH_SMALL_HEAPS:-64m 96m 128m 192m}
# BENCH_PLAIN=0 skips the "plain" baseline (shown as 0): at 100,000 users a site takes minutes
# to page through its users in WordPress's default order.
PLAIN=${BENCH_PLAIN:-1}
# The query usermesh's WordPressClient.listUsers adds: only the synced fields, in id order.
USERMESH_QUERY="&_fields=id,username,name,first_name,last_name,email,url,description,nickname,slug,roles,meta&orderby=id&order=asc"

cleanup() {
    local site
    for site in "${SITES[@]}"; do
        delete_users "$site" "$PREFIX" || log "could not delete the bench users of site $site"
    done
    remove_workdir
}

# site7 pushes to site8 and site9: the dry run lists all three and plans updates.
write_config() {
    mkdir -p "$WORK/config"
    write_properties "$WORK/config"
    {
        echo "sites:"
        local site
        for site in "${SITES[@]}"; do site_yaml "$site"; done
        cat <<'EOF'
links:
  - between: [site7, site8]
    direction: push
  - between: [site7, site9]
    direction: push
EOF
    } >"$WORK/config/sites.yaml"
}

# N bench users on every site; every tenth differs on the targets.
load_users() {
    local n=$1 site
    for site in "${SITES[@]}"; do
        delete_users "$site" "$PREFIX"
        insert_users "$site" "$PREFIX" "$n"
    done
    for site in "${SITES[@]:1}"; do
        wp_sql "$site" "UPDATE wp_usermeta m JOIN wp_users u ON u.ID = m.user_id
            SET m.meta_value = CONCAT(m.meta_value, ' (edited)')
            WHERE m.meta_key = 'last_name' AND u.user_login LIKE '$PREFIX%' AND u.ID % 10 = 0"
    done
}

# Pages through one site's users as reconcile does; fails on any answer but 200.
# QUERY is appended to the URL. Prints the number of users the site announced (X-WP-Total).
list_site() {
    local site=$1 query=$2 auth url headers total pages page code
    auth=$(curl_auth "$site")
    url="$(site_url "$site")/wp-json/wp/v2/users?context=edit&per_page=100$query"
    headers="$WORK/headers-$site"
    code=$(curl -sS -K "$auth" --max-time 60 -D "$headers" -o /dev/null -w '%{http_code}' "$url&page=1")
    [[ "$code" == 200 ]] || die "site $site page 1: HTTP $code"
    total=$(awk -F': ' 'tolower($1) == "x-wp-total" { print $2 + 0 }' "$headers")
    pages=$(awk -F': ' 'tolower($1) == "x-wp-totalpages" { print $2 + 0 }' "$headers")
    for ((page = 2; page <= pages; page++)); do
        code=$(curl -sS -K "$auth" --max-time 60 -o /dev/null -w '%{http_code}' "$url&page=$page")
        [[ "$code" == 200 ]] || die "site $site page $page: HTTP $code"
    done
    echo "$total"
}

# Baseline: the three listings in parallel, QUERY appended to each URL; prints elapsed ms.
baseline_ms() {
    local query=$1 start site pids=() pid
    start=$(now_ms)
    for site in "${SITES[@]}"; do
        list_site "$site" "$query" >"$WORK/listed-$site" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || die "a baseline listing failed"; done
    echo $(($(now_ms) - start))
}

# usermesh under heap HEAP: prints "plan_ms heap_mb users changes command_ms live_mb", where
# live_mb is the most heap left in use after any garbage collection of the run (GC log): what
# the run kept, without the garbage that the heap peak also counts.
reconcile_run() {
    local heap=$1 start end line live
    start=$(now_ms)
    rm -f "$WORK/gc.log"
    # From the work dir, so a checkout's routes/ is not picked up (a dry run starts none anyway).
    (cd "$WORK" && exec java "-Xmx$heap" "-Xlog:gc:file=$WORK/gc.log" -jar "$JAR" reconcile --dry-run \
        --config-dir "$WORK/config") >"$WORK/plan.txt" 2>"$WORK/reconcile.log" \
        || die "reconcile failed; see $WORK/reconcile.log"
    end=$(now_ms)
    # "[1.234s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 45M->12M(128M) 3.1ms"
    live=$(grep -oE '[0-9]+M->[0-9]+M' "$WORK/gc.log" | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1)
    # "reconcile 3f9a1c2e: 15003 user(s) listed, 1000 change(s) planned in 9123 ms; heap peak 80 MB of 256 MB"
    line=$(grep -E 'user\(s\) listed, [0-9]+ change\(s\) planned' "$WORK/reconcile.log" | tail -1)
    [[ -n "$line" ]] || die "no summary line in $WORK/reconcile.log"
    sed -E 's/.* ([0-9]+) user\(s\) listed, ([0-9]+) change\(s\) planned in ([0-9]+) ms; heap peak ([0-9]+) MB.*/\3 \4 \1 \2/' \
        <<<"$line" | tr -d '\n'
    echo " $((end - start)) ${live:-0}"
}

# Tries the dry run under each of SMALL_HEAPS until one passes; a failure
# (OutOfMemoryError) is a result here, not an abort. Prints "N heap plan_ms heap_peak_mb failed_heaps".
smallest_heap() {
    local n=$1 heap failed="" out plan peak rest
    for heap in $SMALL_HEAPS; do
        if out=$(reconcile_run "$heap" 2>/dev/null); then
            read -r plan peak rest <<<"$out"
            echo "$n $heap $plan $peak ${failed:--}"
            return
        fi
        failed="${failed:+$failed,}$heap"
    done
    echo "$n none - - $failed"
}

main() {
    bench_start
    write_config
    log "machine: $(nproc) cores; $(java -version 2>&1 | head -1)"

    local results="$WORK/results.txt" small="$WORK/small-heap.txt" n r plain same out plan heap users changes cmd
    echo "N rep plain_ms same_ms plan_ms cmd_ms heap_mb users changes plan/plain plan/same cmd/same live_mb" | tee "$results"
    for n in $SIZES; do
        log "N=$n: inserting $n users on sites ${SITES[*]}"
        load_users "$n"
        for ((r = 1; r <= REPEAT; r++)); do
            plain=0
            if ((PLAIN)); then plain=$(baseline_ms ""); fi
            same=$(baseline_ms "$USERMESH_QUERY")
            out=$(reconcile_run "$HEAP")
            read -r plan heap users changes cmd live <<<"$out"
            echo "$n $r $plain $same $plan $cmd $heap $users $changes $(ratio "$plan" "$plain")" \
                "$(ratio "$plan" "$same") $(ratio "$cmd" "$same") $live" | tee -a "$results"
        done
        smallest_heap "$n" >>"$small"
        log "N=$n smallest heap: $(tail -1 "$small")"
    done
    summary "$results" "$small"
}

# Markdown tables: per N the min / median of each column, and the ratios of the medians.
summary() {
    local results=$1 small=$2 n col users
    echo
    echo "| N per site | users listed | curl plain ms | curl same query ms | reconcile list+plan ms | whole command ms | heap peak MB (-Xmx$HEAP) | most heap after a GC, MB | plan / plain | plan / same | command / same |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in $SIZES; do
        declare -A mm=() med=()
        for col in 3 4 5 6 7 13; do
            # shellcheck disable=SC2046
            mm[$col]=$(min_median $(awk -v n="$n" -v c="$col" '$1 == n && NR > 1 { print $c }' "$results"))
            med[$col]=${mm[$col]#* }
        done
        users=$(awk -v n="$n" '$1 == n { print $8; exit }' "$results")
        echo "| $n | $users | ${mm[3]/ / \/ } | ${mm[4]/ / \/ } | ${mm[5]/ / \/ } | ${mm[6]/ / \/ } | ${mm[7]/ / \/ } | ${mm[13]/ / \/ } |" \
            "$(ratio "${med[5]}" "${med[3]}") | $(ratio "${med[5]}" "${med[4]}") | $(ratio "${med[6]}" "${med[4]}") |"
        unset mm med
    done
    echo
    echo "(min / median of $REPEAT; ratios of the medians)"
    echo
    echo "| N per site | smallest -Xmx of $SMALL_HEAPS that passes | list+plan ms there | heap peak MB there | failed (OutOfMemoryError) under |"
    echo "|---:|---:|---:|---:|---:|"
    awk '{ print "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " |" }' "$small"
}

main "$@"

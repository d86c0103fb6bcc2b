#!/usr/bin/env bash
# Benchmark: what one full listing of a big site (what a poll without the companion does every
# interval) costs, in wall time and in the site's own PHP CPU time, against curl paging through the
# very same requests in the same run.
#
#   bench/poll.sh                              # site9 with 20,000 extra users, 3 repetitions
#   BENCH_USERS=50000 BENCH_REPEAT=5 bench/poll.sh
#
# Per repetition:
#   curl seq    GET /wp-json/wp/v2/users?context=edit&per_page=100&_fields=…&orderby=id&order=asc,
#               page after page (the query usermesh sends)
#   curl par2   the same pages, two at a time
#   usermesh    `usermesh export --site site9` (the poll's listing: first page, then two at a time)
# Site CPU is the user + system time of site9's PHP server and its workers (from /proc), before
# and after; MariaDB's share is not in it (one server serves every site). The extra users are
# removed at the end, also on failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

N=${BENCH_USERS:-20000}
REPEAT=${BENCH_REPEAT:-3}
SITE=9
PREFIX=umbp
QUERY="context=edit&per_page=100&_fields=id,username,name,first_name,last_name,email,url,description,nickname,slug,roles,meta,usermesh&orderby=id&order=asc"

cleanup() {
    delete_users "$SITE" "$PREFIX" || log "could not delete the bench users of site $SITE"
    remove_workdir
}

# Pages 1..P of the listing with PARALLEL requests in flight; fails on any answer but 200.
curl_listing() {
    local parallel=$1 pages
    pages=$((($(wp_sql "$SITE" "SELECT COUNT(*) FROM wp_users") + 99) / 100))
    seq 1 "$pages" | xargs -P "$parallel" -I{} curl -sS -f --max-time 60 -o /dev/null -K "$(curl_auth "$SITE")" \
        "$(site_url "$SITE")/wp-json/wp/v2/users?$QUERY&page={}"
}

usermesh_listing() {
    (cd "$WORK" && java -jar "$JAR" export --config-dir "$WORK/config" --site "site$SITE" \
        --out "$WORK/export.json") >"$WORK/export.log" 2>&1 || die "export failed; see $WORK/export.log"
}

# Runs one variant; prints "wall_ms site_cpu_ms".
measure() {
    local cpu0 t0 t1
    cpu0=$(site_cpu_ms "$SITE")
    t0=$(now_ms)
    "$@"
    t1=$(now_ms)
    echo "$((t1 - t0)) $(($(site_cpu_ms "$SITE") - cpu0))"
}

main() {
    bench_start
    mkdir -p "$WORK/config"
    write_properties "$WORK/config"
    { printf 'sites:\n'; site_yaml "$SITE"; printf 'links: []\n'; } >"$WORK/config/sites.yaml"
    delete_users "$SITE" "$PREFIX"
    insert_users "$SITE" "$PREFIX" "$N"
    log "site$SITE has $(wp_sql "$SITE" "SELECT COUNT(*) FROM wp_users") users; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    local results="$WORK/results.txt" r
    echo "rep variant wall_ms site_cpu_ms" | tee "$results"
    for ((r = 1; r <= REPEAT; r++)); do
        echo "$r curl_seq $(measure curl_listing 1)" | tee -a "$results"
        echo "$r curl_par2 $(measure curl_listing 2)" | tee -a "$results"
        echo "$r usermesh $(measure usermesh_listing)" | tee -a "$results"
    done
    log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| one listing of $(wp_sql "$SITE" "SELECT COUNT(*) FROM wp_users") users | wall ms (min / median) | site CPU ms (min / median) | wall / curl seq | site CPU / curl seq |"
    echo "|---|---:|---:|---:|---:|"
    local v wall cpu base_wall base_cpu
    for v in curl_seq curl_par2 usermesh; do
        # shellcheck disable=SC2046
        wall=$(min_median $(awk -v v="$v" '$2 == v { print $3 }' "$results"))
        # shellcheck disable=SC2046
        cpu=$(min_median $(awk -v v="$v" '$2 == v { print $4 }' "$results"))
        if [[ $v == curl_seq ]]; then base_wall=${wall#* }; base_cpu=${cpu#* }; fi
        echo "| $v | ${wall/ / \/ } | ${cpu/ / \/ } | $(ratio "${wall#* }" "$base_wall") | $(ratio "${cpu#* }" "$base_cpu") |"
    done
}

main "$@"

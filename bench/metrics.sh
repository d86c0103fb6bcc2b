#!/usr/bin/env bash
# What a Prometheus scrape of GET /observe/metrics costs when it reads the database, with an empty
# outbox (the baseline) and with BENCH_ROWS (100,000) rows in the outbox's history, 1,000 of them
# pending, and 100 dead letters, on MariaDB. The queue gauges read the database at most once per 5 s,
# so every timed scrape comes after such a period: each one is a scrape that reads (the worst case;
# a scrape within the period reads nothing). Three sites, paused in sites.yaml, so that nothing
# delivers, polls or probes meanwhile. Needs MariaDB, not the test bed.
#
#   bash bench/metrics.sh            # BENCH_SCRAPES=15 per case
#
# Prints, per case, the median and the largest scrape time (curl's time_total) and the ratio of the
# medians. Run it on a quiet machine (no tests, no other benchmark).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ROWS=${BENCH_ROWS:-100000}
SCRAPES=${BENCH_SCRAPES:-15}

cleanup() {
    stop_runner
    drop_databases
    remove_workdir
}

make_workdir
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
prepare_jar

mkdir -p "$WORK/config"
{
    echo "sites:"
    for id in a b c; do
        printf '  - id: %s\n    url: http://127.0.0.1:9\n    status: paused\n    username: admin\n' "$id"
        printf '    applicationPassword: "x"\n'
    done
    echo "links: []"
} >"$WORK/config/sites.yaml"
printf 'usermesh.http.port=%s\nusermesh.management.port=%s\nusermesh.siteHealth.period=1h\n' \
    "$BENCH_HTTP_PORT" "$BENCH_MGMT_PORT" >"$WORK/config/application.properties"

start_runner metrics
DB=${DATABASES[0]}
METRICS="http://127.0.0.1:$BENCH_MGMT_PORT/observe/metrics"
deadline=$((SECONDS + 60))
until curl -sf -o /dev/null "$METRICS"; do
    ((SECONDS < deadline)) || die "no metrics within 60 s; see $RUN_LOG"
    sleep 0.5
done

# SCRAPES scrapes, each after the gauges' 5 s cache has run out; prints "median max" in milliseconds
scrapes() {
    local i times=()
    for ((i = 0; i < SCRAPES; i++)); do
        sleep 5.2
        times+=("$(curl -s -o /dev/null -w '%{time_total}' "$METRICS")")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{ t[NR] = $1 * 1000 } END {
        m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.1f %.1f\n", m, t[NR] }'
}

log "scraping with an empty outbox ($SCRAPES scrapes, one per 5.2 s)"
read -r empty_median empty_max < <(scrapes)
grep -q "^usermesh_outbox_pending{target=\"a\"} 0.0" <(curl -s "$METRICS") || die "no outbox gauge in the scrape"

log "inserting $ROWS outbox rows (1,000 pending) and 100 dead letters"
mysql -h "$DB_HOST" -P "$DB_PORT" -u root "$DB" -e "
INSERT INTO outbox (created_at, event_id, source_site, source_user_id, target_site, user_key, payload, status,
    attempts, next_attempt_at, updated_at)
  SELECT NOW(3) - INTERVAL seq SECOND, CONCAT('e', seq), 'a', seq, ELT(1 + seq % 3, 'a', 'b', 'c'),
    CONCAT('user', seq, '@example.test'), '{}', IF(seq <= 1000, 'pending', 'done'), 1, NOW(3), NOW(3)
  FROM seq_1_to_$ROWS;
INSERT INTO dead_letter (created_at, event_id, source_site, target_site, user_key, action, payload, error,
    http_status, attempts, status)
  SELECT NOW(3), CONCAT('d', seq), 'a', 'b', CONCAT('dead', seq, '@example.test'), 'create', '{}', 'HTTP 400', 400,
    1, 'dead' FROM seq_1_to_100;"
sleep 5.2
curl -s "$METRICS" | grep -q '^usermesh_dead_letters{target="b"} 100.0' || die "the gauges do not show the rows"

log "scraping with $ROWS rows ($SCRAPES scrapes)"
read -r rows_median rows_max < <(scrapes)

printf '\n| outbox rows | scrape median (ms) | largest (ms) |\n|---:|---:|---:|\n'
printf '| 0 | %s | %s |\n| %s (1,000 pending, 100 dead letters) | %s | %s |\n' "$empty_median" "$empty_max" \
    "$ROWS" "$rows_median" "$rows_max"
awk -v a="$rows_median" -v b="$empty_median" 'BEGIN { printf "\nmedian with rows / median empty: %.2f\n", a / b }'
uptime

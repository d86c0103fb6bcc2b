# Shared helpers of the benchmarks; sourced by bench/*.sh, not run by itself.
#
# Environment:
#   USERMESH_JAR          a prebuilt jar to use (default: target/usermesh.jar, built when missing)
#   USERMESH_TESTBED_CHECKOUT  the checkout whose testbed/wordpress.sh runs the sites (default: this
#                         one); the test bed is one per machine, so a second checkout or a git
#                         worktree measures on the first one's sites
#   USERMESH_TESTBED_DIR  the test bed's state dir (default: testbed/run of that checkout)
#   BENCH_KEEP=1          keep the work dir (configs, logs, raw results) after the run

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESTBED_CHECKOUT=${USERMESH_TESTBED_CHECKOUT:-$ROOT}
TESTBED_DIR=${USERMESH_TESTBED_DIR:-$TESTBED_CHECKOUT/testbed/run}
DB_HOST=127.0.0.1
DB_PORT=3306
# Business and management ports of a benchmark runner: away from the defaults (8280/9280)
# and from the runners the integration tests start.
BENCH_HTTP_PORT=18280
BENCH_MGMT_PORT=19280

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Milliseconds since the epoch (GNU date).
now_ms() { date +%s%3N; }

# A private work dir, removed on exit unless BENCH_KEEP=1. Configs holding
# credential files live here, so it is mode 700.
make_workdir() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/usermesh-bench.XXXXXX")
    chmod 700 "$WORK"
}

remove_workdir() {
    if [[ -n "${WORK:-}" && -d "$WORK" ]]; then
        if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
            log "work dir kept: $WORK"
        else
            rm -rf "$WORK"
        fi
    fi
}

# The jar, copied into the work dir: a build running at the same time may rewrite target/.
prepare_jar() {
    local jar=${USERMESH_JAR:-$ROOT/target/usermesh.jar}
    if [[ ! -f "$jar" ]]; then
        [[ -z "${USERMESH_JAR:-}" ]] || die "USERMESH_JAR=$jar does not exist"
        log "building $jar (mvn -q -DskipTests package)"
        (cd "$ROOT" && mvn -q -DskipTests package)
    fi
    cp "$jar" "$WORK/usermesh.jar"
    JAR=$WORK/usermesh.jar
}

# The start of every benchmark: a work dir, cleanup (the script's own function) on exit, the jar
# and the test bed.
bench_start() {
    make_workdir
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    prepare_jar
    prepare_testbed
}

RUN_PID=
DATABASES=()

# start_runner NAME SITE...: usermesh on a fresh MariaDB database (dropped by drop_databases),
# its config in $WORK/config, its log in RUN_LOG; waits until each SITE (a test-bed number)
# has recorded its first poll.
start_runner() {
    local name=$1 db="umbench_${1}_$$" deadline port site
    shift
    for port in "$BENCH_HTTP_PORT" "$BENCH_MGMT_PORT"; do
        ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "port $port is taken (another benchmark?)"
    done
    mysql -h "$DB_HOST" -P "$DB_PORT" -u root -e "CREATE DATABASE \`$db\`"
    DATABASES+=("$db")
    RUN_LOG="$WORK/run-$name.log"
    RUN_STARTED=$SECONDS
    # From the work dir: no ./routes there, so the routes packaged in the jar are used,
    # not a checkout's routes/ that may be ahead of the jar.
    (cd "$WORK" && USERMESH_DB_URL="jdbc:mariadb://$DB_HOST:$DB_PORT/$db" USERMESH_DB_USER=root \
        exec java -jar "$JAR" run --config-dir "$WORK/config") >"$RUN_LOG" 2>&1 &
    RUN_PID=$!
    deadline=$((SECONDS + 120))
    for site in "$@"; do
        until grep -qs "site site$site: baseline" "$RUN_LOG"; do
            kill -0 "$RUN_PID" 2>/dev/null || die "usermesh exited; see $RUN_LOG"
            ((SECONDS < deadline)) || die "usermesh did not record its baselines within 120 s; see $RUN_LOG"
            sleep 0.5
        done
    done
}

# Stops the runner start_runner started, if any (SIGTERM, then SIGKILL after 30 s).
stop_runner() {
    if [[ -n "$RUN_PID" ]]; then
        kill "$RUN_PID" 2>/dev/null || true
        local deadline=$((SECONDS + 30))
        while kill -0 "$RUN_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
        kill -9 "$RUN_PID" 2>/dev/null || true
        wait "$RUN_PID" 2>/dev/null || true
        RUN_PID=
    fi
}

drop_databases() {
    local db
    for db in "${DATABASES[@]}"; do
        mysql -h "$DB_HOST" -P "$DB_PORT" -u root -e "DROP DATABASE IF EXISTS \`$db\`" || log "could not drop $db"
    done
}

# Sites 1..9 up (idempotent), then their URLs and credentials into the environment.
# The benchmarks use only sites 7, 8 and 9: the integration tests use 1..6.
prepare_testbed() {
    USERMESH_TESTBED_DIR=$TESTBED_DIR "$TESTBED_CHECKOUT/testbed/wordpress.sh" up 9 >"$WORK/testbed-up.log" 2>&1 \
        || die "testbed/wordpress.sh up 9 failed; see $WORK/testbed-up.log"
    # shellcheck disable=SC1091
    source "$TESTBED_DIR/sites.sh"
}

site_var() { local name="TESTBED_SITE$1_$2"; printf '%s' "${!name}"; }
site_url() { site_var "$1" URL; }

# A curl config file with the site's credentials: keeps the application
# password out of the process list and out of every log.
curl_auth() {
    local site=$1 file="$WORK/curl-auth-$1"
    if [[ ! -f "$file" ]]; then
        (umask 077; printf 'user = "%s:%s"\n' "$(site_var "$site" USER)" \
            "$(site_var "$site" APP_PASSWORD)" >"$file")
    fi
    printf '%s' "$file"
}

# Runs SQL on a test-bed site's WordPress database; prints tab-separated rows.
wp_sql() {
    local site=$1; shift
    mysql -h "$DB_HOST" -P "$DB_PORT" -u root -N -B "$(site_var "$site" DB)" -e "$*"
}

# Inserts COUNT subscribers PREFIX0..PREFIX<COUNT-1> (email PREFIXn@bench.test)
# straight into the site's tables, as WordPress stores them (and as the
# integration tests' WpDatabase.insertUsers does). PREFIX must be letters and
# digits only: it is used in LIKE patterns.
insert_users() {
    local site=$1 prefix=$2 count=$3
    wp_sql "$site" "
        INSERT INTO wp_users (user_login, user_pass, user_nicename, user_email, user_url,
                              user_registered, user_activation_key, user_status, display_name)
        SELECT CONCAT('$prefix', seq), '\$P\$Bnotarealhashnotarealhash.', CONCAT('$prefix', seq),
               CONCAT('$prefix', seq, '@bench.test'), '', NOW(), '', 0, CONCAT('Bench User ', seq)
        FROM seq_0_to_$((count - 1));
        INSERT INTO wp_usermeta (user_id, meta_key, meta_value)
        SELECT ID, k.meta_key,
               CASE k.meta_key WHEN 'nickname' THEN user_login
                               WHEN 'first_name' THEN 'Bench'
                               WHEN 'last_name' THEN CONCAT('User ', SUBSTRING(user_login, $((${#prefix} + 1))))
                               WHEN 'wp_capabilities' THEN 'a:1:{s:10:\"subscriber\";b:1;}'
                               WHEN 'wp_user_level' THEN '0'
                               ELSE '' END
        FROM wp_users
        JOIN (SELECT 'nickname' AS meta_key UNION ALL SELECT 'first_name' UNION ALL SELECT 'last_name'
              UNION ALL SELECT 'description' UNION ALL SELECT 'wp_capabilities'
              UNION ALL SELECT 'wp_user_level') k
        WHERE user_login LIKE '$prefix%';"
}

# Removes every user whose login starts with PREFIX, with their meta.
delete_users() {
    local site=$1 prefix=$2
    wp_sql "$site" "
        DELETE m FROM wp_usermeta m JOIN wp_users u ON u.ID = m.user_id WHERE u.user_login LIKE '$prefix%';
        DELETE FROM wp_users WHERE user_login LIKE '$prefix%';"
}

# CPU time (ms, user + system) the processes PID... have used so far, from /proc/PID/stat
# (which sums all of a process's threads; children that exited are not counted). A PID that
# is gone counts 0.
pid_cpu_ms() {
    local pid stat ticks=0 f
    for pid in "$@"; do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        # the fields after the command name, which may hold spaces: state is field 3,
        # utime 14, stime 15
        read -r -a f <<<"${stat##*) }"
        ticks=$((ticks + f[11] + f[12]))
    done
    echo $((ticks * 1000 / $(getconf CLK_TCK)))
}

# CPU time (ms) site SITE's PHP server and its workers have used so far.
site_cpu_ms() {
    local pid
    pid=$(cat "$TESTBED_DIR/site$1.pid")
    # shellcheck disable=SC2046 # one pid per word
    pid_cpu_ms "$pid" $(pgrep -P "$pid")
}

# JSON bodies for users <prefix>0..N-1 (N: the script's user count) in $WORK/bodies/<prefix>,
# written before the clock starts.
# The password is random and never shown: nobody logs in as these users.
write_bodies() {
    local prefix=$1 dir="$WORK/bodies/$1" n password
    mkdir -p "$dir"
    password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    for ((n = 0; n < N; n++)); do
        printf '{"username":"%s%d","email":"%s%d@bench.test","password":"%s","first_name":"Bench","last_name":"User %d"}' \
            "$prefix" "$n" "$prefix" "$n" "$password" "$n" >"$dir/$n.json"
    done
}

count_users() { wp_sql "$1" "SELECT COUNT(*) FROM wp_users WHERE user_login LIKE '$2%'"; }

# One sites.yaml entry; the password comes from the test bed's secret file at load time.
site_yaml() {
    local site=$1
    cat <<EOF
  - id: site$site
    url: $(site_url "$site")
    username: $(site_var "$site" USER)
    applicationPassword: \${file:$(site_var "$site" APP_PASSWORD_FILE)}
EOF
}

# application.properties of a benchmark runner or command: own ports, own data dir.
write_properties() {
    local dir=$1
    cat >"$dir/application.properties" <<EOF
usermesh.http.port=$BENCH_HTTP_PORT
usermesh.management.port=$BENCH_MGMT_PORT
usermesh.dataDir=$dir/data
EOF
}

# min and median of numbers given as arguments, "min median".
min_median() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print v[1], m }'
}

# A ratio with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

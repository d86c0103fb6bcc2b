#!/usr/bin/env bash
# Real-WordPress test bed for usermesh: N Debian WordPress sites, each served by
# PHP's built-in server on its own loopback address, each with its own database.
#
#   testbed/wordpress.sh up [N]          ensure sites 1..N (default 3, max 12) are installed and running
#   testbed/wordpress.sh down [--purge]  stop our servers, remove our /etc/wordpress configs;
#                                        --purge also drops the usermesh_wp_% databases and the state dir
#   testbed/wordpress.sh stop-site I     stop site I's server only (simulate a dead site)
#   testbed/wordpress.sh start-site I    start site I's server again (never reinstalls)
#   testbed/wordpress.sh status          one line per site: index, URL, running|stopped
#   testbed/wordpress.sh reset-users I   delete every user of site I except admin
#   testbed/wordpress.sh check [I]       run the REST/auth smoke checks on running sites
#   testbed/wordpress.sh env             print sites.sh (contains secrets!)
#
# Site I: http://127.0.0.(I+1):PORT, database usermesh_wp_I, admin login "admin".
# Environment: USERMESH_TESTBED_PORT (8081), USERMESH_TESTBED_DIR (testbed/run),
#   USERMESH_TESTBED_DB_HOST/_DB_PORT/_DB_USER/_DB_PASSWORD (127.0.0.1/3306/root/empty).
# shellcheck disable=SC2015,SC2016  # A && B || die is intended; php -r code is single-quoted on purpose
set -euo pipefail

TB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=$(realpath -m -- "${USERMESH_TESTBED_DIR:-$TB_DIR/run}")
PORT=${USERMESH_TESTBED_PORT:-8081}
WP_ROOT=/usr/share/wordpress
# WordPress 6.8 (Debian 13's package) beside Debian 12's 6.1: sites 2, 5, 8, ... run it (see site_root)
WP68_DIR=$STATE/wp68
WP68_ROOT=$WP68_DIR/usr/share/wordpress
ROUTER=$TB_DIR/router.php
TOOL=$TB_DIR/site-tool.php
MAX_SITES=12
MARKER=usermesh-testbed
START_RESULT=
WAIT_SECONDS=${USERMESH_TESTBED_WAIT:-30}
export USERMESH_TESTBED_PORT=$PORT
export USERMESH_TESTBED_DB_HOST=${USERMESH_TESTBED_DB_HOST:-127.0.0.1}
export USERMESH_TESTBED_DB_PORT=${USERMESH_TESTBED_DB_PORT:-3306}
export USERMESH_TESTBED_DB_USER=${USERMESH_TESTBED_DB_USER:-root}
export USERMESH_TESTBED_DB_PASSWORD=${USERMESH_TESTBED_DB_PASSWORD:-}

# PHP settings for the servers and the CLI helper: never print errors into
# responses (they would corrupt JSON), log them to the site log instead; opcache
# for the built-in server (workers fork after it is set up, so they share it);
# mail goes to the state dir's mail.log.
PHP_INI=(-d display_errors=0 -d display_startup_errors=0 -d log_errors=1 -d html_errors=0
         -d "error_reporting=E_ALL & ~E_DEPRECATED & ~E_NOTICE & ~E_STRICT"
         -d "sendmail_path=$TB_DIR/sendmail.sh")
PHP_SERVER_INI=(-d opcache.enable_cli=1 -d opcache.validate_timestamps=1 -d opcache.memory_consumption=128)

log() { printf 'wordpress.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

site_ip() { echo "127.0.0.$(($1 + 1))"; }
site_url() { echo "http://$(site_ip "$1"):$PORT"; }

check_index() {
  [[ ${1:-} =~ ^[1-9][0-9]*$ ]] && (($1 <= MAX_SITES)) || die "site index must be 1..$MAX_SITES (got '${1:-}')"
}

tool() { php "${PHP_INI[@]}" "$TOOL" "$@"; }

lock_state() {
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  exec 9>"$STATE/.lock"
  flock -w 300 9 || die "another wordpress.sh holds $STATE/.lock"
}

# ---------------------------------------------------------------- packages, database

ensure_packages() {
  local need=0
  command -v php >/dev/null 2>&1 || need=1
  command -v curl >/dev/null 2>&1 || need=1
  [[ -f $WP_ROOT/wp-load.php && -f $WP_ROOT/wp-admin/includes/upgrade.php ]] || need=1
  [[ -e $WP_ROOT/wp-content/themes/twentytwentythree ]] || need=1
  if ((need == 0)); then
    php -r 'foreach (["mysqli","curl","dom","mbstring"] as $e) if (!extension_loaded($e)) exit(1);' || need=1
  fi
  ((need)) || return 0
  local pkgs=(wordpress wordpress-theme-twentytwentythree php-cli php-mysql php-curl php-xml php-mbstring)
  command -v curl >/dev/null 2>&1 || pkgs+=(curl)
  log "installing Debian packages: ${pkgs[*]} (log: $STATE/apt.log)"
  local t0; t0=$(now)
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}"; } >"$STATE/apt.log" 2>&1; then
    tail -n 20 "$STATE/apt.log" >&2
    die "apt-get install failed"
  fi
  log "packages installed in $(elapsed "$t0")"
  [[ -f $WP_ROOT/wp-load.php ]] || die "$WP_ROOT/wp-load.php still missing after install"
}

# Debian 13's wordpress package, fetched by name through a private apt configuration (the
# machine's sources stay as they are) and unpacked beside 6.1. Its symlinks point into
# /usr/share/php and /usr/share/javascript: those of Debian 12's packages serve it.
ensure_wp68() {
  [[ -f $WP68_ROOT/wp-load.php ]] && return 0
  local apt=$STATE/apt68 t0
  t0=$(now)
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
    >"$apt/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o APT::Get::List-Cleanup=0
    -o APT::Sandbox::User=root)
  if ! { apt-get "${opts[@]}" update && (cd "$apt" && apt-get "${opts[@]}" download wordpress); } \
      >"$STATE/apt68.log" 2>&1; then
    tail -n 20 "$STATE/apt68.log" >&2
    die "could not download WordPress 6.8 (Debian 13's wordpress package)"
  fi
  rm -rf "$WP68_DIR"
  dpkg-deb -x "$apt"/wordpress_*.deb "$WP68_DIR"
  ln -sfn /usr/share/php "$WP68_DIR/usr/share/php"
  ln -sfn /usr/share/javascript "$WP68_DIR/usr/share/javascript"
  [[ -f $WP68_ROOT/wp-load.php ]] || die "$WP68_ROOT/wp-load.php missing after unpacking"
  log "WordPress $(php -r "include '$WP68_ROOT/wp-includes/version.php'; echo \$wp_version;") unpacked in $(elapsed "$t0")"
}

# The WordPress that site I runs: 6.8 for sites 2, 5, 8, ... (so each IT, on sites 1-3, crosses
# versions), Debian 12's 6.1 for the others.
site_root() {
  if (($1 % 3 == 2)); then echo "$WP68_ROOT"; else echo "$WP_ROOT"; fi
}

ensure_mariadb() {
  tool db-ping 2>/dev/null && return 0
  case $USERMESH_TESTBED_DB_HOST in
    127.0.0.1|localhost) ;;
    *) tool db-ping || die "database at $USERMESH_TESTBED_DB_HOST:$USERMESH_TESTBED_DB_PORT not reachable" ;;
  esac
  [[ -x /usr/sbin/mariadbd ]] || die "MariaDB not reachable at 127.0.0.1:$USERMESH_TESTBED_DB_PORT and /usr/sbin/mariadbd not installed"
  log "MariaDB not answering; starting /usr/sbin/mariadbd"
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >/dev/null
  local deadline=$((SECONDS + WAIT_SECONDS))
  until tool db-ping 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      tool db-ping || true
      die "MariaDB did not answer within ${WAIT_SECONDS}s (see /var/log/mysql/error.log)"
    fi
    sleep 0.5
  done
}

# ---------------------------------------------------------------- servers

# Print the pid of site I's server if it is alive and is our php -S (per the state dir).
our_pid() {
  local i=$1 pidf="$STATE/site$1.pid" pid cmd
  [[ -s $pidf ]] || return 1
  pid=$(<"$pidf")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ $cmd == *php*" -S $(site_ip "$i"):"*" $ROUTER "* ]] || return 1
  echo "$pid"
}

# A php -S master (own process group) for site I whose command line matches
# ROUTER_GLOB; default: this checkout's router, i.e. one we started but whose pid file was lost.
find_orphan() {
  local i=$1 glob=${2:-" $ROUTER "} p pid cmd
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    [[ $cmd == *php*" -S $(site_ip "$i"):$PORT "* && $cmd == *$glob* ]] || continue
    [[ $(ps -o pgid= -p "$pid" | tr -d ' ') == "$pid" ]] || continue
    echo "$pid"
    return 0
  done
  return 1
}

http_code() { curl -s -o /dev/null -m "${2:-5}" -w '%{http_code}' "$1" 2>/dev/null || true; }

# Something accepts TCP connections on ip:port (curl exit 7 = connection refused).
port_open() {
  local rc=0
  curl -s -o /dev/null -m 2 "http://$1:$2/wp-includes/images/blank.gif" 2>/dev/null || rc=$?
  ((rc != 7))
}

wait_answering() {
  local url=$1 deadline=$((SECONDS + WAIT_SECONDS))
  until [[ $(http_code "$url/wp-json/") == 200 ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# Returns 0 when site I's server is ours and alive (adopting one whose pid file was
# lost, START_RESULT=adopted), 1 when ip:port is free; dies when something else holds it.
claim_port() {
  local i=$1 ip pid
  ip=$(site_ip "$i")
  our_pid "$i" >/dev/null && return 0
  rm -f "$STATE/site$i.pid"
  port_open "$ip" "$PORT" || return 1
  if pid=$(find_orphan "$i"); then
    echo "$pid" >"$STATE/site$i.pid"
    START_RESULT=adopted
    return 0
  fi
  if pid=$(find_orphan "$i" "/testbed/router.php "); then
    die "site $i: $ip:$PORT is served by another checkout's testbed (pid $pid: $(tr '\0' ' ' </proc/"$pid"/cmdline)); run that checkout's 'testbed/wordpress.sh down' or use another USERMESH_TESTBED_PORT"
  fi
  die "site $i: $ip:$PORT is already taken by a process this script did not start"
}

start_server() {
  local i=$1 ip pid
  ip=$(site_ip "$i")
  START_RESULT="already running"
  claim_port "$i" && return 0
  local logf="$STATE/site$i.log"
  if [[ -f $logf ]] && (($(stat -c %s "$logf") > 5000000)); then mv -f "$logf" "$logf.1"; fi
  # setsid: own process group (the master and its workers are stopped together);
  # fd 9 (the state lock) must not leak into the long-lived server.
  (
    cd "$STATE"
    exec 9>&- </dev/null >>"$STATE/site$i.log" 2>&1
    exec setsid nohup env PHP_CLI_SERVER_WORKERS=4 USERMESH_TESTBED_MAIL_LOG="$STATE/mail.log" \
      php "${PHP_INI[@]}" "${PHP_SERVER_INI[@]}" -S "$ip:$PORT" -t "$(site_root "$i")" "$ROUTER"
  ) &
  pid=$!
  echo "$pid" >"$STATE/site$i.pid"
  START_RESULT=started
  # setsid/nohup/env exec in place, so $! becomes the php pid within a few ms
  local n
  for ((n = 0; n < 50; n++)); do
    our_pid "$i" >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  tail -n 5 "$STATE/site$i.log" >&2 || true
  die "site $i: php -S did not start (log: $STATE/site$i.log)"
}

stop_server() {
  local i=$1 ip pid pgid n
  ip=$(site_ip "$i")
  if pid=$(our_pid "$i"); then
    pgid=$(ps -o pgid= -p "$pid" | tr -d ' ')
    if [[ $pgid == "$pid" ]]; then
      kill -TERM -- "-$pid" 2>/dev/null || true
    else
      kill -TERM "$pid" 2>/dev/null || true
    fi
    for ((n = 0; n < 50; n++)); do
      our_pid "$i" >/dev/null || break
      sleep 0.1
    done
    if our_pid "$i" >/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    echo "site $i: stopped (pid $pid)"
  fi
  rm -f "$STATE/site$i.pid"
  for ((n = 0; n < 50; n++)); do
    port_open "$ip" "$PORT" || return 0
    sleep 0.1
  done
  log "warning: site $i: $ip:$PORT still accepts connections"
}

# REST smoke test: application-passwords advertised, admin authenticates with them.
verify_site() {
  local i=$1 url body pw
  url=$(site_url "$i")
  body=$(curl -s -m 10 "$url/wp-json/") || { log "site $i: GET /wp-json/ failed"; return 1; }
  [[ $body == *'"application-passwords"'* ]] || { log "site $i: /wp-json/ does not advertise application-passwords"; return 1; }
  pw=$(<"$STATE/site$i.app-password")
  # credentials via curl's config on stdin, not on the command line
  body=$(printf 'user = "admin:%s"\n' "$pw" | curl -s -m 10 -K - "$url/wp-json/wp/v2/users/me?context=edit") || true
  [[ $body == *'"capabilities"'* && $body == *'"administrator"'* ]] || {
    log "site $i: application-password login failed: ${body:0:300}"
    return 1
  }
}

# ---------------------------------------------------------------- state files

# Sites to list: 1..N, plus any higher site of ours still running.
listed_sites() {
  local n=$1 i
  for ((i = n + 1; i <= MAX_SITES; i++)); do
    our_pid "$i" >/dev/null && n=$i
  done
  echo "$n"
}

replace_if_changed() { # tmpfile target
  chmod 600 "$1"
  if [[ -f $2 ]] && cmp -s "$1" "$2"; then rm -f "$1"; else mv -f "$1" "$2"; fi
}

write_state_files() {
  local n=$1 i url env sh
  env=$(mktemp "$STATE/.sites.env.XXXXXX")
  sh=$(mktemp "$STATE/.sites.sh.XXXXXX")
  {
    echo "# written by testbed/wordpress.sh up; Java-properties and shell-assignment compatible except for the spaces in *_APP_PASSWORD (source sites.sh in shells)"
    echo "TESTBED_SITES=$n"
    echo "TESTBED_PORT=$PORT"
  } >"$env"
  {
    echo "# written by testbed/wordpress.sh up; source it: . testbed/run/sites.sh"
    echo "export TESTBED_SITES=$n"
    echo "export TESTBED_PORT=$PORT"
  } >"$sh"
  for ((i = 1; i <= n; i++)); do
    url=$(site_url "$i")
    local app admin
    app=$(<"$STATE/site$i.app-password")
    admin=$(<"$STATE/site$i.admin-password")
    {
      echo "TESTBED_SITE${i}_URL=$url"
      echo "TESTBED_SITE${i}_USER=admin"
      echo "TESTBED_SITE${i}_APP_PASSWORD=$app"
      echo "TESTBED_SITE${i}_APP_PASSWORD_FILE=$STATE/site$i.app-password"
      echo "TESTBED_SITE${i}_ADMIN_PASSWORD=$admin"
      echo "TESTBED_SITE${i}_DB=usermesh_wp_$i"
    } >>"$env"
    {
      echo "export TESTBED_SITE${i}_URL='$url'"
      echo "export TESTBED_SITE${i}_USER='admin'"
      echo "export TESTBED_SITE${i}_APP_PASSWORD='$app'"
      echo "export TESTBED_SITE${i}_APP_PASSWORD_FILE='$STATE/site$i.app-password'"
      echo "export TESTBED_SITE${i}_ADMIN_PASSWORD='$admin'"
      echo "export TESTBED_SITE${i}_DB='usermesh_wp_$i'"
    } >>"$sh"
  done
  replace_if_changed "$env" "$STATE/sites.env"
  replace_if_changed "$sh" "$STATE/sites.sh"
}

# ---------------------------------------------------------------- commands

# One site, run in the background by cmd_up; output goes to $STATE/site$I.up.log.
bring_up_site() {
  local i=$1 url what started="already running"
  url=$(site_url "$i")
  # port first: never touch config or database of a site another checkout is serving
  START_RESULT="already running"
  claim_port "$i" || started=
  tool write-config "$i" "$STATE" >/dev/null
  tool db-create "$i"
  what=$(USERMESH_TESTBED_WP_ROOT=$(site_root "$i") tool install "$i" "$STATE")
  [[ -n $started ]] || start_server "$i"
  started=$START_RESULT
  wait_answering "$url" || die "site $i: $url/wp-json/ did not answer 200 within ${WAIT_SECONDS}s (log: $STATE/site$i.log)"
  verify_site "$i"
  echo "site $i: $url up ($what, server $started)"
}

cmd_up() {
  local n=${1:-3} t0 i rc=0
  [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= MAX_SITES)) || die "up: N must be 1..$MAX_SITES (got '$n')"
  t0=$(now)
  lock_state
  ensure_packages
  ensure_wp68
  ensure_mariadb
  local -A jobs=()
  for ((i = 1; i <= n; i++)); do
    bring_up_site "$i" >"$STATE/site$i.up.log" 2>&1 &
    jobs[$i]=$!
  done
  for ((i = 1; i <= n; i++)); do
    if wait "${jobs[$i]}"; then
      cat "$STATE/site$i.up.log"
    else
      rc=1
      log "site $i failed:"
      sed 's/^/    /' "$STATE/site$i.up.log" >&2
    fi
  done
  ((rc == 0)) || die "up failed"
  write_state_files "$(listed_sites "$n")"
  echo "up: $n site(s) ready in $(elapsed "$t0"); state: $STATE/sites.env"
}

cmd_down() {
  local purge=0 f i db pid
  case ${1:-} in
    "") ;;
    --purge) purge=1 ;;
    *) die "usage: down [--purge]" ;;
  esac
  lock_state
  for ((i = 1; i <= MAX_SITES; i++)); do
    # servers whose pid file was lost (state dir removed while they ran) are adopted first
    if [[ ! -s $STATE/site$i.pid ]] && pid=$(find_orphan "$i"); then
      echo "$pid" >"$STATE/site$i.pid"
    fi
    [[ -e $STATE/site$i.pid ]] && stop_server "$i"
  done
  for f in /etc/wordpress/config-127.0.0.*.php; do
    [[ -f $f ]] && grep -q "$MARKER" "$f" && rm -f "$f" && echo "removed $f"
  done
  if ((purge)); then
    if command -v php >/dev/null 2>&1 && tool db-ping 2>/dev/null; then
      for db in $(tool db-list); do
        tool db-drop "$db" && echo "dropped database $db"
      done
    else
      log "warning: database not reachable; usermesh_wp_% databases not dropped"
    fi
    # only the files this script writes: USERMESH_TESTBED_DIR may point anywhere
    if [[ -d $STATE ]]; then
      (
        shopt -s nullglob
        cd "$STATE"
        rm -f -- .lock .sites.* apt.log apt68.log mail.log sites.env sites.sh site[0-9]*.{pid,log,log.1,salts,admin-password,app-password,up.log} ./*.tmp[0-9]*
        rm -rf -- apt68 wp68
      )
      rmdir -- "$STATE" 2>/dev/null && echo "removed $STATE" || log "kept $STATE (contains other files)"
    fi
  fi
}

cmd_stop_site() {
  check_index "${1:-}"
  lock_state
  stop_server "$1"
  port_open "$(site_ip "$1")" "$PORT" && die "site $1 still answers"
  echo "site $1: $(site_url "$1") stopped"
}

cmd_start_site() {
  check_index "${1:-}"
  local i=$1 url
  url=$(site_url "$i")
  lock_state
  if ! claim_port "$i"; then
    tool write-config "$i" "$STATE" >/dev/null
    tool is-installed "$i" || die "site $i is not installed; run: testbed/wordpress.sh up $i"
    [[ -s $STATE/site$i.app-password ]] || die "site $i: no application password in $STATE; run: testbed/wordpress.sh up"
    start_server "$i"
  fi
  wait_answering "$url" || die "site $i: $url did not answer within ${WAIT_SECONDS}s (log: $STATE/site$i.log)"
  echo "site $i: $url running"
}

cmd_status() {
  local n=0 i pid state
  if [[ -f $STATE/sites.env ]]; then
    n=$(sed -n 's/^TESTBED_SITES=//p' "$STATE/sites.env")
  fi
  n=$(listed_sites "${n:-0}")
  for ((i = 1; i <= n; i++)); do
    if pid=$(our_pid "$i"); then
      if [[ $(http_code "$(site_url "$i")/wp-json/") == 200 ]]; then state=running; else state="running (pid $pid, not answering)"; fi
    else
      state=stopped
    fi
    echo "$i $(site_url "$i") $state"
  done
  ((n > 0)) || echo "no sites (run: testbed/wordpress.sh up)"
}

cmd_check() {
  local n i rc=0
  [[ -f $STATE/sites.env ]] || die "no $STATE/sites.env; run up first"
  n=$(sed -n 's/^TESTBED_SITES=//p' "$STATE/sites.env")
  for i in ${1:-$(seq 1 "$n")}; do
    if verify_site "$i"; then echo "site $i: $(site_url "$i") ok"; else rc=1; fi
  done
  return $rc
}

cmd_reset_users() {
  check_index "${1:-}"
  USERMESH_TESTBED_WP_ROOT=$(site_root "$1") tool reset-users "$1"
}

cmd_env() {
  [[ -f $STATE/sites.sh ]] || die "no $STATE/sites.sh; run up first"
  cat "$STATE/sites.sh"
}

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

cmd=${1:-}
shift || true
case $cmd in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  stop-site) cmd_stop_site "$@" ;;
  start-site) cmd_start_site "$@" ;;
  status) cmd_status ;;
  check) cmd_check "$@" ;;
  reset-users) cmd_reset_users "$@" ;;
  env) cmd_env ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac

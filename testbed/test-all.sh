#!/usr/bin/env bash
# The README's test command. Runs the whole test suite on a Debian or Ubuntu machine, as root:
# - installs what is missing with apt: MariaDB server, Chromium and its driver (PHP and WordPress
#   come with testbed/wordpress.sh);
# - starts MariaDB when it is not running;
# - creates the tests' own database account, usermesh_test@127.0.0.1, with a random password kept
#   in testbed/run/test-db.env (mode 600) and rights on the usermesh\_% databases only; set
#   USERMESH_TEST_MARIADB_USER and USERMESH_TEST_MARIADB_PASSWORD to use an existing account instead;
# - starts four real WordPress test-bed sites (site 4 is IdleFeedIT's own), runs the companion plugin's PHP tests, the unit
#   tests (surefire) and the integration tests (failsafe, *IT);
# - ends with Maven's test summary (each plugin's results and the build's outcome) as its last lines.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=no
apt_install() {
  echo "installing $*"
  if [ "$apt_updated" = no ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -qq update >/dev/null
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends "$@" >/dev/null
}

mariadb_up() {
  mysqladmin --protocol=TCP -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1 \
    || mysqladmin --protocol=socket -uroot ping >/dev/null 2>&1
}

if [ ! -x /usr/sbin/mariadbd ]; then
  apt_install mariadb-server mariadb-client
fi
if ! mariadb_up; then
  echo "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do mariadb_up && break; sleep 1; done
  mariadb_up || { echo "MariaDB did not start" >&2; exit 1; }
fi

# the dashboard's browser tests (DashboardBrowserIT) drive Debian's headless Chromium through its chromedriver
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  apt_install chromium chromium-driver
fi

# promtool checks the shipped Prometheus alert rules: from Debian's prometheus package, unpacked
# into the test bed's state dir rather than installed (installing would start a Prometheus server)
promtool=$(command -v promtool || true)
if [ -z "$promtool" ]; then
  promtool=testbed/run/prometheus/usr/bin/promtool
  if [ ! -x "$promtool" ]; then
    echo "fetching promtool (Debian's prometheus package, unpacked)"
    mkdir -p testbed/run/prometheus
    (cd testbed/run/prometheus && apt-get download prometheus >/dev/null 2>&1) \
      || { apt-get -qq update >/dev/null && (cd testbed/run/prometheus && apt-get download prometheus >/dev/null); }
    dpkg-deb -x testbed/run/prometheus/prometheus_*.deb testbed/run/prometheus
    rm -f testbed/run/prometheus/prometheus_*.deb
  fi
fi
"$promtool" check rules docs/prometheus/alerts.yml

# The tests' database account. MariaDB's own administrator is used once, through the local socket
# (as Debian sets it up for root) or a password-less TCP root, to create it; the tests never use it.
if [ -z "${USERMESH_TEST_MARIADB_USER:-}" ]; then
  account=testbed/run/test-db.env
  if [ ! -s "$account" ]; then
    mkdir -p testbed/run
    password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    sql=$(printf "CREATE USER IF NOT EXISTS 'usermesh_test'@'127.0.0.1' IDENTIFIED BY '%s';
ALTER USER 'usermesh_test'@'127.0.0.1' IDENTIFIED BY '%s';
GRANT ALL PRIVILEGES ON \`usermesh\\\\_%%\`.* TO 'usermesh_test'@'127.0.0.1';" "$password" "$password")
    if ! mysql --protocol=socket -uroot -e "$sql" 2>/dev/null && ! mysql -h127.0.0.1 -uroot -e "$sql"; then
      echo "cannot create the tests' database account: run as root, or set USERMESH_TEST_MARIADB_USER and" \
        "USERMESH_TEST_MARIADB_PASSWORD to an account that may create databases named usermesh_*" >&2
      exit 1
    fi
    (umask 077 && printf 'USERMESH_TEST_MARIADB_USER=usermesh_test\nUSERMESH_TEST_MARIADB_PASSWORD=%s\n' \
      "$password" > "$account")
  fi
  set -a
  . "$account"
  set +a
fi
# the test bed's sites and tools use the same account
export USERMESH_TESTBED_DB_USER=$USERMESH_TEST_MARIADB_USER
export USERMESH_TESTBED_DB_PASSWORD=${USERMESH_TEST_MARIADB_PASSWORD:-}

started_testbed=no
if ! testbed/wordpress.sh status 2>/dev/null | grep -q ' running$'; then started_testbed=yes; fi
testbed/wordpress.sh up 4
stop_testbed() {
  if [ "$started_testbed" = yes ] && [ -z "${USERMESH_KEEP_TESTBED:-}" ]; then
    testbed/wordpress.sh down
  fi
}
trap stop_testbed EXIT

# the companion plugin's own tests (PHP, installed with the test bed)
php wordpress/usermesh-companion/tests/run.php

mkdir -p target
log=target/test-all.log
set +e
mvn -B -ntp verify "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
trap - EXIT
stop_testbed

# Maven's summary again, last: each plugin's "Results:" block (failures named) and the build's outcome
echo
echo "== test summary (full output: $log) =="
awk '/\] Results:$/ { show = 1 } show { print } show && /Tests run: [0-9]+, .*Skipped: [0-9]+$/ { show = 0 }
     /\] BUILD (SUCCESS|FAILURE)$/ { print }' "$log"
exit "$status"

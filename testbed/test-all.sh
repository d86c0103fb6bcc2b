#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: starts MariaDB if it is not
# running, installs Chromium and its driver when missing (Debian/Ubuntu), installs
# and starts three real WordPress test-bed sites, then runs
# the unit tests (surefire) and the integration tests (failsafe, *IT).
set -euo pipefail
cd "$(dirname "$0")/.."

wait_for_mariadb() {
  for _ in $(seq 1 60); do
    if mysqladmin --protocol=TCP -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "MariaDB did not answer on 127.0.0.1:3306" >&2
  return 1
}

if ! mysqladmin --protocol=TCP -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; then
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for_mariadb
fi

# the dashboard's browser tests (DashboardBrowserIT) drive Debian's headless Chromium through its chromedriver
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "installing chromium and chromium-driver"
  DEBIAN_FRONTEND=noninteractive apt-get -qq update >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends chromium chromium-driver >/dev/null
fi

started_testbed=no
if ! testbed/wordpress.sh status 2>/dev/null | grep -q ' running$'; then started_testbed=yes; fi
testbed/wordpress.sh up 3
if [ "$started_testbed" = yes ] && [ -z "${USERMESH_KEEP_TESTBED:-}" ]; then
  trap 'testbed/wordpress.sh down' EXIT
fi

# the companion plugin's own tests (PHP, installed with the test bed)
php wordpress/usermesh-companion/tests/run.php

mvn -B -ntp verify "$@"

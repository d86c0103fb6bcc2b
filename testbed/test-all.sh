#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: starts MariaDB if it is not
# running, installs and starts three real WordPress test-bed sites, then runs
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

started_testbed=no
if ! testbed/wordpress.sh status 2>/dev/null | grep -q ' running$'; then started_testbed=yes; fi
testbed/wordpress.sh up 3
if [ "$started_testbed" = yes ] && [ -z "${USERMESH_KEEP_TESTBED:-}" ]; then
  trap 'testbed/wordpress.sh down' EXIT
fi

# the companion plugin's own tests (PHP, installed with the test bed)
php wordpress/usermesh-companion/tests/run.php

mvn -B -ntp verify "$@"

#!/usr/bin/env bash
# Self-test of testbed/wordpress.sh ("done means" of the test bed). DESTRUCTIVE: it runs
# `down --purge` (drops usermesh_wp_% databases, new passwords) and ends with the 3 sites
# up again. Usage: testbed/selftest.sh --destructive
# shellcheck disable=SC1091,SC2009,SC2016
set -euo pipefail
[[ ${1:-} == --destructive ]] || { echo "usage: $0 --destructive  (purges the test bed, then leaves 3 sites up)" >&2; exit 2; }
TB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB=$TB_DIR/wordpress.sh
RUN=$(realpath -m -- "${USERMESH_TESTBED_DIR:-$TB_DIR/run}")
PASS=0 FAIL=0
ok() { if "$@" >/dev/null 2>&1; then PASS=$((PASS + 1)); echo "ok:   ${DESC}"; else FAIL=$((FAIL + 1)); echo "FAIL: ${DESC}"; fi; }
t() { DESC=$1; shift; ok "$@"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
dbs() { php -r '$m = new mysqli("127.0.0.1", "root", "", "", 3306); $r = $m->query("SHOW DATABASES LIKE \"usermesh\\\\_wp\\\\_%\""); echo $r->num_rows;'; }
servers() { ps -eo args | grep -c "[p]hp.* $TB_DIR/router.php" || true; }
refused() { local rc=0; curl -s -o /dev/null -m 3 "$1/wp-json/" || rc=$?; [[ $rc == 7 ]]; }
me_admin() { curl -sf -u "admin:$2" "$1/wp-json/wp/v2/users/me?context=edit" | grep -q '"administrator"'; }
advertised() { curl -sf "$1/wp-json/" | grep -q '"application-passwords"'; }

$TB down --purge >/dev/null
t "purge leaves no usermesh_wp_% database" test "$(dbs)" = 0
t "purge leaves no testbed config" bash -c "! grep -ls usermesh-testbed /etc/wordpress/config-127.0.0.*.php"

t0=$(now); $TB up 3 >/dev/null; echo "time: up 3 from scratch $(secs "$t0")s"
set -a; . "$RUN/sites.sh"; set +a
for i in 1 2 3; do
  url_var=TESTBED_SITE${i}_URL pw_var=TESTBED_SITE${i}_APP_PASSWORD
  t "site $i: users/me with app password" me_admin "${!url_var}" "${!pw_var}"
  t "site $i: /wp-json/ advertises application-passwords" advertised "${!url_var}"
  t "site $i: app password file mode 600" test "$(stat -c %a "$RUN/site$i.app-password")" = 600
done
snapshot() { md5sum "$RUN"/sites.env "$RUN"/sites.sh "$RUN"/*.app-password "$RUN"/*.admin-password "$RUN"/*.pid /etc/wordpress/config-127.0.0.[234].php; }
before=$(snapshot)
t0=$(now); $TB up 3 >/dev/null; echo "time: up 3 again $(secs "$t0")s"
t "second up changes nothing" test "$before" = "$(snapshot)"

$TB stop-site 2 >/dev/null
t "stop-site 2: site 2 refuses connections" refused "$TESTBED_SITE2_URL"
t "stop-site 2: site 1 answers" advertised "$TESTBED_SITE1_URL"
t "stop-site 2: site 3 answers" advertised "$TESTBED_SITE3_URL"
t "status shows site 2 stopped" bash -c "$TB status | grep -qx '2 $TESTBED_SITE2_URL stopped'"
$TB start-site 2 >/dev/null
t "start-site 2: same app password works" me_admin "$TESTBED_SITE2_URL" "$TESTBED_SITE2_APP_PASSWORD"

$TB down >/dev/null
t "down stops all our servers" test "$(servers)" = 0
t "down removes our configs" bash -c "! grep -ls usermesh-testbed /etc/wordpress/config-127.0.0.*.php"
$TB up 3 >/dev/null
t "up after down keeps the app password" me_admin "$TESTBED_SITE1_URL" "$TESTBED_SITE1_APP_PASSWORD"
echo "$PASS passed, $FAIL failed"
((FAIL == 0))

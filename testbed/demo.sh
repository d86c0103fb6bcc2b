#!/usr/bin/env bash
# The first experience: two real local WordPress sites (127.0.0.2 and 127.0.0.3)
# and usermesh keeping their users in sync both ways, with the shipped config/.
# Create or edit a user on one site's admin; within a poll interval (30 s) it
# appears on the other. Ctrl-C stops usermesh; `testbed/wordpress.sh down`
# stops the sites.
set -euo pipefail
cd "$(dirname "$0")/.."

testbed/wordpress.sh up 2
# always: a jar older than routes/ would miss the beans the routes call
mvn -q -DskipTests package
# shellcheck disable=SC1091
. "${USERMESH_TESTBED_DIR:-testbed/run}/sites.sh"

# a token for this demo's dashboard, made up now unless one is set
export USERMESH_ADMIN_TOKEN="${USERMESH_ADMIN_TOKEN:-demo-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"

cat <<INFO

  shop  $TESTBED_SITE1_URL/wp-admin/   login: admin  password: $TESTBED_SITE1_ADMIN_PASSWORD
  blog  $TESTBED_SITE2_URL/wp-admin/   login: admin  password: $TESTBED_SITE2_ADMIN_PASSWORD

  usermesh: dashboard http://127.0.0.1:8280/   admin token: $USERMESH_ADMIN_TOKEN
            health http://127.0.0.1:9280/observe/health, audit trail in ./data (H2)
  (these are throw-away local test sites; their passwords are printed on purpose)

INFO

export USERMESH_SHOP_URL="$TESTBED_SITE1_URL" USERMESH_SHOP_USER="$TESTBED_SITE1_USER"
export USERMESH_SHOP_APP_PASSWORD="$TESTBED_SITE1_APP_PASSWORD"
export USERMESH_BLOG_URL="$TESTBED_SITE2_URL" USERMESH_BLOG_USER="$TESTBED_SITE2_USER"
export USERMESH_BLOG_APP_PASSWORD="$TESTBED_SITE2_APP_PASSWORD"
exec java -XX:+ExitOnOutOfMemoryError -jar target/usermesh.jar run

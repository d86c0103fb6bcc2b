#!/bin/sh
# Stand-in for /usr/sbin/sendmail used by the testbed's PHP servers (php -d sendmail_path=...).
# WordPress mails (password/email change notices...) are appended to
# $USERMESH_TESTBED_MAIL_LOG (the state dir's mail.log) instead of being sent.
umask 077
log=${USERMESH_TESTBED_MAIL_LOG:-/dev/null}
{ printf '=== %s sendmail %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; cat; printf '\n'; } >>"$log"
exit 0

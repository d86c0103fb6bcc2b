#!/usr/bin/env bash
# Benchmark: the companion plugin (wordpress/usermesh-companion), its two acceptance points, on
# test-bed sites 7 (WordPress 6.1) and 8 (6.8), both loading it as a must-use plugin, with a running
# usermesh: one push link site7 -> site8 (it lists no actions, so create, edit and roles; see
# BENCH_ACTIONS), pollInterval 10m (so only a push explains a fast sync),
# site7's webhook block with a random secret, a throw-away MariaDB database, ports 18281/19281
# (delivery.sh uses 18280/19280, so both may run at once); a fresh runner and database per part.
#
#   bench/companion.sh                              # 5 creates + 20 edits; 5 rounds of 100 users
#   BENCH_USERS=50 BENCH_REPEAT=3 bench/companion.sh
#   BENCH_PIN=1 BENCH_PARTS=2 bench/companion.sh   # part 2 only, site7 alone on CPU 0 (below)
#   BENCH_ACTIONS="create, edit, roles, password" bench/companion.sh   # the link also carries passwords
#
# 1. Push latency. site7's companion pushes to the runner's /hooks/site7. The bench's requests use
#    an application password of its own (bench-companion-…; one named usermesh… pushes nothing):
#      create   POST /wp/v2/users on site7 until the user exists on site8 (BENCH_CREATES times)
#      edit     POST /wp/v2/users/ID {first_name} on site7 until the new value is on site8, each
#               waited for (BENCH_EDITS times); also the edit request's own time
#    "On site8" is watched in site8's database by one MariaDB statement checking every 10 ms, started
#    when the request has returned (see seen_on_target). Baselines in the same run, interleaved with
#    the edits: the same edit request with the hook URL cleared (nothing pushed); GET
#    /wp/v2/users/ID?context=edit on site8; the runner's answer to a push signed as the plugin signs
#    it (202) and to one for an unknown site (404), as curl sees it (on this server the plugin waits
#    for that answer, see hook_time). Control: an edit made with the hook URL cleared must still be
#    missing on site8 after 3 s.
# 2. Source overhead. BENCH_USERS users POSTed to site7 one after the other (curl, as delivery.sh
#    does), in three variants, BENCH_REPEAT rounds, the order rotating every round:
#      off    the hook URL cleared through the plugin's settings route (the plugin loaded, inert)
#      push   the companion pushing to the running runner, which then reads each user from site7
#             and creates it on site8, on the same cores; also timed until all are on site8
#      404    the companion pushing to the same runner's /hooks/nosite, answered 404 at once: the
#             plugin's own cost, without usermesh's work in reaction
#    Ratios of the medians and medians of the per-round ratios: push / off (the acceptance point:
#    under 1.1) and 404 / off.
#    BENCH_PIN=1: site7's PHP server (with its workers) alone on CPU 0, the runner and site8's server
#    on the other CPUs, as when usermesh and the other sites do not run on the source's machine;
#    MariaDB, which all of them use, stays where the system puts it. Unpinned again at the end.
# The 1-minute load average is sampled every 5 s. The bench users (logins umbc…, emails @bench.test)
# are removed from both sites' databases after every round and at the end, and so are the bench's
# application password, the plugin's settings on site7 and the usermesh databases, also on failure.
set -euo pipefail
export LC_ALL=C   # EPOCHREALTIME with a dot
source "$(dirname "$0")/lib.sh"
BENCH_HTTP_PORT=18281
BENCH_MGMT_PORT=19281

N=${BENCH_USERS:-100}
REPEAT=${BENCH_REPEAT:-5}
EDITS=${BENCH_EDITS:-20}
CREATES=${BENCH_CREATES:-5}
WAIT_S=${BENCH_TIMEOUT:-300}   # seconds to wait for anything to appear on site8
ACTIONS=${BENCH_ACTIONS:-}     # the link's outgoing actions; empty: none listed (create, edit, roles)
PIN=${BENCH_PIN:-0}
PARTS=${BENCH_PARTS:-1,2}      # which parts run
SOURCE=7
TARGET=8
PREFIX=umbc                    # logins umbc…; letters and digits only
LOAD_PID=
APP_UUID=
SETTINGS_TOUCHED=0

cleanup() {
    stop_companion_runner
    if ((PIN)); then
        pin_site "$SOURCE" "0-$(($(nproc) - 1))"
        pin_site "$TARGET" "0-$(($(nproc) - 1))"
    fi
    [[ -z "$LOAD_PID" ]] || kill "$LOAD_PID" 2>/dev/null || true
    if ((SETTINGS_TOUCHED)); then
        set_hook "$WORK/hook-clear.json" || log "could not clear the companion's settings on site$SOURCE"
    fi
    if [[ -n "$APP_UUID" ]]; then
        curl -sS -f --max-time 30 -o /dev/null -X DELETE -K "$(curl_auth "$SOURCE")" \
            "$(site_url "$SOURCE")/wp-json/wp/v2/users/me/application-passwords/$APP_UUID" \
            || log "could not delete the bench's application password on site$SOURCE"
    fi
    local site
    for site in "$SOURCE" "$TARGET"; do
        delete_users "$site" "$PREFIX" || log "could not delete the bench users of site $site"
    done
    drop_databases
    remove_workdir
}

# A digest of the plugin code the test bed's sites load (its checkout's wordpress/usermesh-companion
# and testbed/mu-plugins): a checkout that moves under a run makes the run mix two versions.
plugin_state() {
    find "$TESTBED_CHECKOUT/wordpress/usermesh-companion" "$TESTBED_CHECKOUT/testbed/mu-plugins" -type f -name '*.php' \
        -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12
}

# Microseconds since the epoch, without a fork: us VAR.
us() { local t=$EPOCHREALTIME; printf -v "$1" '%s' "${t/./}"; }

# The bench's own application password on site7 (a person's, not usermesh's) into a curl config.
make_app_password() {
    local name out="$WORK/app-password.json"
    name="bench-companion-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    (umask 077; curl -sS -f --max-time 30 -o "$out" -K "$(curl_auth "$SOURCE")" -H 'Content-Type: application/json' \
        --data-binary "{\"name\":\"$name\"}" "$(site_url "$SOURCE")/wp-json/wp/v2/users/me/application-passwords") \
        || die "could not create an application password on site$SOURCE"
    APP_UUID=$(jq -r .uuid "$out")
    PERSON_AUTH=$WORK/curl-person
    (umask 077; jq -r --arg u "$(site_var "$SOURCE" USER)" '"user = \"" + $u + ":" + .password + "\""' "$out" >"$PERSON_AUTH")
    rm -f "$out"
}

# The plugin's settings bodies (mode 600: one holds the secret) and the runner's secret file.
write_hook_bodies() {
    local hooks="http://127.0.0.1:$BENCH_HTTP_PORT/hooks"
    (umask 077
     head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/webhook-secret"
     jq -n --rawfile s "$WORK/webhook-secret" --arg u "$hooks/site$SOURCE" '{url: $u, secret: $s}' >"$WORK/hook-push.json"
     jq -n --rawfile s "$WORK/webhook-secret" --arg u "$hooks/nosite" '{url: $u, secret: $s}' >"$WORK/hook-404.json"
     jq -n '{url: ""}' >"$WORK/hook-off.json"
     jq -n '{url: "", secret: ""}' >"$WORK/hook-clear.json")
}

# POSTs a settings body to site7's usermesh/v1/settings (as the test bed's admin, whose application
# password is named usermesh-…) and checks the URL it answers.
set_hook() {
    local body=$1 want
    want=$(jq -r .url "$body")
    curl -sS -f --max-time 30 -o "$WORK/settings.json" -K "$(curl_auth "$SOURCE")" -H 'Content-Type: application/json' \
        --data-binary @"$body" "$(site_url "$SOURCE")/wp-json/usermesh/v1/settings" || return 1
    [[ $(jq -r .url "$WORK/settings.json") == "$want" ]] || { log "site$SOURCE's settings did not take $want"; return 1; }
}

write_config() {
    mkdir -p "$WORK/config"
    write_properties "$WORK/config"
    echo "usermesh.shutdown.timeout=5s" >>"$WORK/config/application.properties"
    {
        printf 'defaults:\n  pollInterval: 10m\nsites:\n'
        site_yaml "$SOURCE"
        cat <<EOF
    webhook:
      secret: \${file:$WORK/webhook-secret}
      allowIps: [127.0.0.0/8]
      allowSources: [$(site_url "$SOURCE")]
EOF
        site_yaml "$TARGET"
        cat <<EOF
links:
  - between: [site$SOURCE, site$TARGET]
    direction: push
EOF
        [[ -z "$ACTIONS" ]] || echo "    outgoing: [$ACTIONS]"
    } >"$WORK/config/sites.yaml"
}

# Starts usermesh on a fresh database and waits for its first poll of both sites (its baselines);
# the next poll is 10 minutes later, so each part gets a runner of its own.

# pin_tree PID CPUS: the process, its threads and its children (the PHP server's workers) on CPUS.
pin_tree() {
    local child
    taskset -a -p -c "$2" "$1" >/dev/null || log "could not pin process $1 to CPUs $2"
    for child in $(pgrep -P "$1"); do pin_tree "$child" "$2"; done
}

pin_site() { pin_tree "$(cat "$TESTBED_DIR/site$1.pid")" "$2"; }

# BENCH_PIN=1: site7 alone on CPU 0; the runner (just started) and site8 on the other CPUs.
pin() {
    ((PIN)) || return 0
    local others="1-$(($(nproc) - 1))"
    (($(nproc) >= 2)) || die "BENCH_PIN=1 needs two CPUs"
    pin_site "$SOURCE" 0
    pin_site "$TARGET" "$others"
    pin_tree "$RUN_PID" "$others"
    log "pinned: site$SOURCE on CPU 0; site$TARGET and the runner on CPUs $others"
}

# A runner of this benchmark must stop before its next poll (10 minutes): a poll would mix into the timings.
stop_companion_runner() {
    if [[ -n "$RUN_PID" ]]; then
        ((SECONDS - RUN_STARTED < 590)) || log "note: this runner ran for $((SECONDS - RUN_STARTED)) s, so it polled again"
    fi
    stop_runner
}

# Waits in site8's database until the SQL condition holds, with one statement that checks every
# 10 ms (no client started per check); prints the server's clock then, in microseconds since the
# epoch, or 0 after WAIT_S seconds.
wait_target() {
    printf '%s\n' 'DELIMITER //' "BEGIN NOT ATOMIC
        DECLARE deadline DATETIME(6) DEFAULT SYSDATE(6) + INTERVAL $WAIT_S SECOND;
        DECLARE seen BIGINT DEFAULT 0;
        WHILE seen = 0 AND SYSDATE(6) < deadline DO
            IF ($1) THEN SET seen = ROUND(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000);
            ELSE DO SLEEP(0.01);
            END IF;
        END WHILE;
        SELECT seen;
    END //" | mysql -h "$DB_HOST" -P "$DB_PORT" -u root -N -B "$(site_var "$TARGET" DB)"
}

has_email() { echo "EXISTS (SELECT 1 FROM wp_users WHERE user_email = '$1')"; }
has_first_name() {
    echo "EXISTS (SELECT 1 FROM wp_users u JOIN wp_usermeta m ON m.user_id = u.ID
                  WHERE u.user_email = '$1' AND m.meta_key = 'first_name' AND m.meta_value = '$2')"
}

# Sets SEEN to the time the condition holds on site8 (wait_target). Called right after the request
# returns, not before it: the loop costs site8's database, which the request's site shares, some CPU,
# and nothing arrives on site8 sooner than some 300 ms after the request returned (the runner works
# pushes off every 500 ms); were the change there already, SEEN would be the first check, a bound.
seen_on_target() {
    SEEN=$(wait_target "$1") || die "watching site$TARGET's database failed"
    ((SEEN > 0)) || die "$2 did not reach site$TARGET within ${WAIT_S}s; see $RUN_LOG"
}

# One timed request as the bench's person on site7: REQ_MS (ms), response in $WORK/resp.json.
person_post() {
    local path=$1 body=$2 t0 t1
    us t0
    curl -sS -f --max-time 60 -o "$WORK/resp.json" -K "$PERSON_AUTH" -H 'Content-Type: application/json' \
        --data-binary "$body" "$(site_url "$SOURCE")$path" || die "POST $path on site$SOURCE failed"
    us t1
    REQ_T0=$t0 REQ_T1=$t1 REQ_MS=$(((t1 - t0) / 1000))
}

user_body() {
    printf '{"username":"%s","email":"%s@bench.test","password":"%s","first_name":"%s","last_name":"Bench"}' \
        "$1" "$1" "$PASSWORD" "$2"
}

# POSTs a companion push for user ID to URL, signed with the webhook secret as the plugin signs it;
# prints "hook_STATUS K ms" with curl's time_total (connection to answer, without starting curl).
hook_time() {
    local want=$1 k=$2 id=$3 url=$4 ts sig got
    printf '{"event":"bench-%s-%s-%s","topic":"user.updated","id":%s,"source":"%s"}' \
        "$$" "$want" "$k" "$id" "$(site_url "$SOURCE")" >"$WORK/push.json"
    ts=$(date +%s)
    # the secret is read from its file inside python, never passed on a command line
    sig=$(python3 -c 'import hmac, hashlib, sys
key = open(sys.argv[1], "rb").read()
body = open(sys.argv[3], "rb").read()
print("sha256=" + hmac.new(key, sys.argv[2].encode() + b"." + body, hashlib.sha256).hexdigest())' \
        "$WORK/webhook-secret" "$ts" "$WORK/push.json")
    got=$(curl -sS -o /dev/null --max-time 60 -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
        -H "X-Usermesh-Timestamp: $ts" -H "X-Usermesh-Signature: $sig" --data-binary @"$WORK/push.json" "$url") \
        || die "POST $url failed"
    [[ ${got%% *} == "$want" ]] || die "POST $url answered ${got%% *}, not $want"
    echo "hook_$want $k $(awk -v s="${got#* }" 'BEGIN { printf "%d", s * 1000 + 0.5 }')"
}

# Part 1. Lines "create|edit|edit_off|read_target k ms [latency_ms after_ms]" into $WORK/latency.txt.
latency() {
    local out="$WORK/latency.txt" k login email id7 id8 value t0 t1
    set_hook "$WORK/hook-push.json"
    for ((k = 1; k <= CREATES; k++)); do
        login="${PREFIX}l$k" email="${PREFIX}l$k@bench.test"
        person_post /wp-json/wp/v2/users "$(user_body "$login" "Lat0")"
        ((k > 1)) || id7=$(jq -r .id "$WORK/resp.json")
        seen_on_target "$(has_email "$email")" "the create of $login"
        echo "create $k $REQ_MS $(((SEEN - REQ_T0) / 1000)) $(((SEEN - REQ_T1) / 1000))" | tee -a "$out"
        sleep 0.5
    done
    email="${PREFIX}l1@bench.test"
    id8=$(wp_sql "$TARGET" "SELECT ID FROM wp_users WHERE user_email = '$email'")
    for ((k = 1; k <= EDITS; k++)); do
        # the companion pushing: until the new value is on site8
        value="Edit$k"
        person_post "/wp-json/wp/v2/users/$id7" "{\"first_name\":\"$value\"}"
        seen_on_target "$(has_first_name "$email" "$value")" "edit $k"
        echo "edit $k $REQ_MS $(((SEEN - REQ_T0) / 1000)) $(((SEEN - REQ_T1) / 1000))" | tee -a "$out"
        sleep 0.5
        # what a push costs the request that sends it, where the companion waits for the answer (PHP's
        # built-in server has no fastcgi_finish_request, and WordPress's curl transport runs even a
        # non-blocking request to its end): the runner's answer to a push, as curl's time_total
        hook_time 404 "$k" "$id7" "http://127.0.0.1:$BENCH_HTTP_PORT/hooks/nosite" | tee -a "$out"
        hook_time 202 "$k" "$id7" "http://127.0.0.1:$BENCH_HTTP_PORT/hooks/site$SOURCE" | tee -a "$out"
        sleep 1    # the signed push makes the runner read the user (unchanged: nothing to deliver)
        # the same edit request, hook URL cleared
        set_hook "$WORK/hook-off.json"
        person_post "/wp-json/wp/v2/users/$id7" "{\"first_name\":\"Quiet$k\"}"
        echo "edit_off $k $REQ_MS" | tee -a "$out"
        set_hook "$WORK/hook-push.json"
        # a read of the user on site8
        us t0
        curl -sS -f --max-time 60 -o /dev/null -K "$(curl_auth "$TARGET")" \
            "$(site_url "$TARGET")/wp-json/wp/v2/users/$id8?context=edit" || die "GET on site$TARGET failed"
        us t1
        echo "read_target $k $(((t1 - t0) / 1000))" | tee -a "$out"
        sleep 0.5
    done
    # control: with the hook cleared an edit is not synced (the next poll is 10 minutes away)
    set_hook "$WORK/hook-off.json"
    person_post "/wp-json/wp/v2/users/$id7" '{"first_name":"Control"}'
    sleep 3
    if [[ $(wp_sql "$TARGET" "SELECT COUNT(*) FROM wp_users u JOIN wp_usermeta m ON m.user_id = u.ID
            WHERE u.user_email = '$email' AND m.meta_key = 'first_name' AND m.meta_value = 'Control'") != 0 ]]; then
        die "control failed: an edit made with the hook cleared reached site$TARGET within 3 s"
    fi
    log "control: an edit made with the hook cleared was not on site$TARGET after 3 s"
    echo "control ok" >>"$out"
}

# JSON bodies for users PREFIX0..N-1, written before the clock starts.
write_bodies() {
    local prefix=$1 dir="$WORK/bodies/$1" n
    mkdir -p "$dir"
    for ((n = 0; n < N; n++)); do
        printf '{"username":"%s%d","email":"%s%d@bench.test","password":"%s","first_name":"Bench","last_name":"User %d"}' \
            "$prefix" "$n" "$prefix" "$n" "$PASSWORD" "$n" >"$dir/$n.json"
    done
}

# Part 2, one round of one variant: prints "create_ms [e2e_ms]".
overhead_round() {
    local variant=$1 prefix=$2 t0 t1 e2e=- cpu0
    write_bodies "$prefix"
    set_hook "$WORK/hook-$variant.json"
    sleep 1
    cpu0=$(site_cpu_ms "$SOURCE")
    us t0
    find "$WORK/bodies/$prefix" -name '*.json' | sort -V \
        | xargs -P 1 -I{} curl -sS -f --max-time 60 -o /dev/null -K "$PERSON_AUTH" \
            -H 'Content-Type: application/json' --data-binary @{} "$(site_url "$SOURCE")/wp-json/wp/v2/users" \
        || die "POSTs to site$SOURCE failed"
    us t1
    [[ $(count_users "$SOURCE" "$prefix") == "$N" ]] || die "not all $N users on site$SOURCE"
    if [[ $variant == push ]]; then
        seen_on_target "(SELECT COUNT(*) FROM wp_users WHERE user_login LIKE '$prefix%') >= $N" "all $N users of $prefix"
        e2e=$(((SEEN - t0) / 1000))
        sleep 2
    else
        sleep 3
        [[ $(count_users "$TARGET" "$prefix") == 0 ]] \
            || die "$variant: users of $prefix reached site$TARGET without a push"
    fi
    local cpu=$(($(site_cpu_ms "$SOURCE") - cpu0)) # usermesh's reads of site7 included: they are over by now
    delete_users "$SOURCE" "$prefix"
    delete_users "$TARGET" "$prefix"
    echo "$(((t1 - t0) / 1000)) $cpu $e2e"
}

overhead() {
    local out="$WORK/overhead.txt" r i variants=(off push 404) v line
    echo "round variant create_ms site_cpu_ms e2e_ms" >"$out"
    for ((r = 1; r <= REPEAT; r++)); do
        for i in 0 1 2; do
            v=${variants[$(((i + r - 1) % 3))]}
            line=$(overhead_round "$v" "${PREFIX}$r${v:0:1}x")
            echo "$r $v $line" | tee -a "$out"
        done
    done
}

load_between() {
    # shellcheck disable=SC2046
    stats $(awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b { print $2 }' "$WORK/load.txt") | sed 's| | / |g'
}

# "min p50 max" of the numbers given; p50 is the median.
stats() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print v[1], m, v[NR] }'
}
col() { awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$3"; }

summary() {
    local lat="$WORK/latency.txt" ovh="$WORK/overhead.txt" s
    row() {
        local name=$1; shift
        [[ $# -gt 0 ]] || return 0
        s=$(stats "$@")
        echo "| $name | $# | ${s// / | } |"
    }
    if [[ -s $lat ]]; then # part 1 ran
        echo
        echo "| push latency, site$SOURCE (6.1) -> site$TARGET (6.8) | n | min ms | p50 ms | max ms |"
        echo "|---|---:|---:|---:|---:|"
        # shellcheck disable=SC2046
        {
            row "create on site$SOURCE until the user is on site$TARGET" $(col create 4 "$lat")
            row "… after the create request returned" $(col create 5 "$lat")
            row "the create request itself (companion pushing)" $(col create 3 "$lat")
            row "edit on site$SOURCE until the new value is on site$TARGET" $(col edit 4 "$lat")
            row "… after the edit request returned" $(col edit 5 "$lat")
            row "baseline: the edit request itself (companion pushing)" $(col edit 3 "$lat")
            row "baseline: the same edit request, hook URL cleared" $(col edit_off 3 "$lat")
            row "baseline: GET the user on site$TARGET (context=edit)" $(col read_target 3 "$lat")
            row "the runner's answer to a signed push (202; curl time_total)" $(col hook_202 3 "$lat")
            row "the runner's answer to a push for an unknown site (404; curl time_total)" $(col hook_404 3 "$lat")
        }
    fi
    [[ -s $ovh ]] || return 0
    echo
    local off push push404 e2e moff mpush m404 coff cpush c404
    # shellcheck disable=SC2207
    {
        off=($(awk 'NR > 1 && $2 == "off" { print $3 }' "$ovh"))
        push=($(awk 'NR > 1 && $2 == "push" { print $3 }' "$ovh"))
        push404=($(awk 'NR > 1 && $2 == "404" { print $3 }' "$ovh"))
        e2e=($(awk 'NR > 1 && $2 == "push" { print $5 }' "$ovh"))
        coff=($(awk 'NR > 1 && $2 == "off" { print $4 }' "$ovh"))
        cpush=($(awk 'NR > 1 && $2 == "push" { print $4 }' "$ovh"))
        c404=($(awk 'NR > 1 && $2 == "404" { print $4 }' "$ovh"))
    }
    moff=$(stats "${off[@]}" | cut -d' ' -f2)
    mpush=$(stats "${push[@]}" | cut -d' ' -f2)
    m404=$(stats "${push404[@]}" | cut -d' ' -f2)
    echo "| $N users POSTed to site$SOURCE, sequential | rounds | min ms | median ms | max ms | median / off |"
    echo "|---|---:|---:|---:|---:|---:|"
    s=$(stats "${off[@]}"); echo "| off: hook URL cleared | ${#off[@]} | ${s// / | } | 1.00 |"
    s=$(stats "${push[@]}"); echo "| push: companion pushing to the runner | ${#push[@]} | ${s// / | } | $(ratio "$mpush" "$moff") |"
    s=$(stats "${push404[@]}"); echo "| 404: companion pushing, answered 404 at once | ${#push404[@]} | ${s// / | } | $(ratio "$m404" "$moff") |"
    s=$(stats "${e2e[@]}"); echo "| push: first POST until all $N on site$TARGET | ${#e2e[@]} | ${s// / | } | |"
    echo
    moff=$(stats "${coff[@]}" | cut -d' ' -f2)
    echo "| site$SOURCE's PHP CPU time for the $N users (and usermesh's reads) | rounds | min ms | median ms | max ms | median / off |"
    echo "|---|---:|---:|---:|---:|---:|"
    s=$(stats "${coff[@]}"); echo "| off | ${#coff[@]} | ${s// / | } | 1.00 |"
    s=$(stats "${cpush[@]}"); echo "| push | ${#cpush[@]} | ${s// / | } | $(ratio "$(cut -d' ' -f2 <<<"$s")" "$moff") |"
    s=$(stats "${c404[@]}"); echo "| 404 | ${#c404[@]} | ${s// / | } | $(ratio "$(cut -d' ' -f2 <<<"$s")" "$moff") |"
    echo
    # per round: the variants ran minutes apart at most, so their ratio suffers less from the load
    # changing over the whole run
    local per_round rp r4
    per_round=$(awk 'NR > 1 { t[$1, $2] = $3; if ($1 > n) n = $1 }
        END { for (r = 1; r <= n; r++) printf "%d %.2f %.2f\n", r, t[r, "push"] / t[r, "off"], t[r, "404"] / t[r, "off"] }' "$ovh")
    # shellcheck disable=SC2046
    {
        rp=$(stats $(cut -d' ' -f2 <<<"$per_round") | awk '{ printf "%.2f", $2 }')
        r4=$(stats $(cut -d' ' -f3 <<<"$per_round") | awk '{ printf "%.2f", $2 }')
    }
    echo "per round, push / off and 404 / off: $(awk '{ printf "%s%d: %s, %s", (NR > 1 ? "; " : ""), $1, $2, $3 }' <<<"$per_round")"
    echo "median of the per-round ratios: push / off $rp, 404 / off $r4"
}

main() {
    make_workdir
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    local started=$SECONDS load0
    load0=$(cut -d' ' -f1-3 /proc/loadavg)
    prepare_jar
    prepare_testbed
    # leftovers of an earlier run that was killed
    delete_users "$SOURCE" "$PREFIX"
    delete_users "$TARGET" "$PREFIX"
    PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    curl -sS -f --max-time 30 -o "$WORK/settings.json" -K "$(curl_auth "$SOURCE")" \
        "$(site_url "$SOURCE")/wp-json/usermesh/v1/settings" || die "site$SOURCE has no companion plugin (usermesh/v1/settings)"
    [[ $(jq -r .fromConstants "$WORK/settings.json") == false ]] || die "site$SOURCE sets USERMESH_HOOK_URL in wp-config"
    PLUGIN_AT_START=$(plugin_state)
    log "machine: $(nproc) cores; $(java -version 2>&1 | head -1); companion $(jq -r .version "$WORK/settings.json") from $TESTBED_CHECKOUT (commit $(git -C "$TESTBED_CHECKOUT" rev-parse --short HEAD 2>/dev/null || echo '?'))"
    log "load average before: $load0; other java processes: $(($(pgrep -xc java || true)))"
    write_hook_bodies
    SETTINGS_TOUCHED=1
    set_hook "$WORK/hook-off.json"
    make_app_password
    write_config
    while sleep 5; do echo "$(date +%s) $(cut -d' ' -f1 /proc/loadavg)"; done >"$WORK/load.txt" &
    LOAD_PID=$!
    local t1=$(date +%s) t2 t3
    if [[ ,$PARTS, == *,1,* ]]; then
        log "part 1: push latency ($CREATES creates, $EDITS edits)"
        start_runner companion_1 "$SOURCE" "$TARGET"
        pin
        latency
        stop_companion_runner
    fi
    t2=$(date +%s)
    if [[ ,$PARTS, == *,2,* ]]; then
        log "part 2: source overhead ($N users, $REPEAT rounds of off / push / 404)"
        start_runner companion_2 "$SOURCE" "$TARGET"
        pin
        overhead
        stop_companion_runner
    fi
    t3=$(date +%s)
    summary
    echo
    echo "1-minute load average (min / median / max, every 5 s): part 1 $(load_between "$t1" "$t2"), part 2 $(load_between "$t2" "$t3")"
    if [[ $(plugin_state) != "$PLUGIN_AT_START" ]]; then
        echo
        echo "WARNING: the companion plugin the test bed loads ($TESTBED_CHECKOUT/wordpress/usermesh-companion) changed during the run: the numbers mix two versions"
    fi
    log "load average after: $(cut -d' ' -f1-3 /proc/loadavg); took $((SECONDS - started)) s"
}

main "$@"

#!/usr/bin/env bash
# Benchmark of Trame against panva's oidc-provider; writes report.md here.
#
#   ops/bench/run.sh [--quick]
#
# See README.md (this directory) for what it measures, what it needs and every
# knob. Never part of the test suite.
set -euo pipefail
shopt -s inherit_errexit

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=../lib/process.sh
source "$ROOT/ops/lib/process.sh"

QUICK=0
case "${1:-}" in
--quick) QUICK=1 ;;
"") ;;
*)
  echo "usage: $0 [--quick]" >&2
  exit 2
  ;;
esac

if [ "$QUICK" = 1 ]; then
  DURATION=${BENCH_DURATION:-3}
  TENANTS=${BENCH_TENANTS:-200}
  USERS_BIG=${BENCH_USERS_BIG:-20000}
else
  DURATION=${BENCH_DURATION:-10}
  TENANTS=${BENCH_TENANTS:-10000}
  USERS_BIG=${BENCH_USERS_BIG:-1000000}
fi
USERS_SMALL=${BENCH_USERS_SMALL:-1000}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
SCALE_CONNECTIONS=${BENCH_SCALE_CONNECTIONS:-4}
MODES=${BENCH_MODES:-embedded postgres}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/}
REPORT=${BENCH_REPORT:-$HERE/report.md}
SKIP_LIMITS=${BENCH_SKIP_LIMITS:-0}
SKIP_SCALE=${BENCH_SKIP_SCALE:-0}

NCPU=$(nproc)
# Servers share one CPU set, the load generators get the others (see README).
if [ -z "${BENCH_SERVER_CPUS:-}" ]; then
  if [ "$NCPU" -ge 2 ]; then
    BENCH_SERVER_CPUS="$((NCPU / 2))-$((NCPU - 1))"
    BENCH_CLIENT_CPUS="0-$((NCPU / 2 - 1))"
  else
    BENCH_SERVER_CPUS=0
    BENCH_CLIENT_CPUS=0
  fi
fi
BENCH_CLIENT_CPUS=${BENCH_CLIENT_CPUS:-0-$((NCPU - 1))}

log() { echo "[bench] $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
rand_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
now_ms() { date +%s%3N; }

# --- what it needs ---------------------------------------------------------------
BIN=${TRAME_BIN:-}
if [ -z "$BIN" ]; then
  if [ -x /tmp/trame-bench-bin/trame ]; then BIN=/tmp/trame-bench-bin/trame; else BIN=$ROOT/target/release/trame; fi
fi
[ -x "$BIN" ] || die "no Trame binary at $BIN: cargo build --release --bin trame (or set TRAME_BIN)"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null; then
  log "installing wrk (apt-get)"
  as_root apt-get install -y wrk >&2 || { as_root apt-get update >&2 && as_root apt-get install -y wrk >&2; }
fi
command -v node >/dev/null || die "Node.js 20+ is needed"
command -v psql >/dev/null || die "psql is needed (PostgreSQL client)"
command -v sqlite3 >/dev/null || die "sqlite3 is needed (bulk users in embedded mode)"
if [ ! -d "$HERE/node_modules/oidc-provider" ] || [ ! -d "$HERE/node_modules/undici" ]; then
  log "installing npm dependencies (npm ci)"
  (cd "$HERE" && npm ci --no-audit --no-fund >&2)
fi
PIN_SERVER=()
PIN_CLIENT=()
if command -v taskset >/dev/null; then
  PIN_SERVER=(taskset -c "$BENCH_SERVER_CPUS")
  PIN_CLIENT=(taskset -c "$BENCH_CLIENT_CPUS")
else
  log "taskset not found: servers and load generators are not pinned"
fi

# --- clean-up, always --------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/trame-bench.XXXXXX")
RESULTS=$WORK/results.jsonl
: >"$RESULTS"
SERVER_PID=
DB_NAME=
SAMPLER_PID=

drop_db() {
  [ -n "$DB_NAME" ] || return 0
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 ||
    log "warning: could not drop database $DB_NAME"
  DB_NAME=
}

cleanup() {
  local rc=$?
  stop_pid "$SAMPLER_PID"
  stop_pid "$SERVER_PID"
  drop_db
  if [ -n "${REDIS_PREFIX:-}" ]; then
    redis-cli -u "$REDIS_URL" --scan --pattern "${REDIS_PREFIX}*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
  fi
  if [ "$rc" -ne 0 ]; then
    log "FAILED; work dir kept: $WORK"
  elif [ -n "${KEEP_WORKDIR:-}" ]; then
    log "work dir kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- shared settings ---------------------------------------------------------------
export BENCH_SECRET="bench-$(rand_hex 24)"
export BENCH_PASSWORD="pw-$(rand_hex 12)"
export BENCH_REDIRECT_URI=http://localhost:9/cb
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--dns-result-order=ipv4first"
CLK_TCK=$(getconf CLK_TCK)

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# utime + stime of a process, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Ticks of a CPU list (taskset syntax: 1, 2-3, 0,2) from /proc/stat:
# "busy irq total n", busy = every state but idle and iowait, irq = irq +
# softirq (the network work of loopback, charged to no process), n = CPUs.
cpuset_ticks() {
  awk -v list="$1" '
    BEGIN { k = split(list, parts, ","); for (i = 1; i <= k; i++) if (split(parts[i], r, "-") == 2) { for (c = r[1]; c <= r[2]; c++) want["cpu" c] = 1 } else want["cpu" parts[i]] = 1 }
    ($1 in want) { n++; busy += $2 + $3 + $4 + $7 + $8 + $9; irq += $7 + $8; total += $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }
    END { print busy + 0, irq + 0, total + 0, n + 0 }' /proc/stat
}

# Samples the server's RSS every 50 ms into $WORK/rss.max until stopped.
start_sampler() {
  local pid=$1
  echo 0 >"$WORK/rss.max"
  (
    max=0
    while kill -0 "$pid" 2>/dev/null; do
      r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${r:-0}" -gt "$max" ] && max=$r && echo "$max" >"$WORK/rss.max"
      sleep 0.05
    done
  ) &
  SAMPLER_PID=$!
}
stop_sampler() {
  stop_pid "$SAMPLER_PID"
  SAMPLER_PID=
  cat "$WORK/rss.max"
}

# record SERVER MODE SCENARIO JSON CPU_TICKS PEAK_RSS_KB [extra json fields]
record() {
  local server=$1 mode=$2 scenario=$3 json=$4 ticks=$5 rss=$6 extra=${7:-}
  node -e '
    const [server, mode, scenario, json, ticks, clk, rss, extra] = process.argv.slice(1);
    const r = JSON.parse(json);
    const reqs = r.ops ?? r.requests;
    const cpu = Number(ticks) / Number(clk);
    const out = { server, mode, scenario, ...r, ...(extra ? JSON.parse(extra) : {}),
      cpu_s: cpu, cpu_s_per_1k: reqs ? (cpu / reqs) * 1000 : null, peak_rss_mb: Number(rss) / 1024 };
    console.log(JSON.stringify(out));
  ' "$server" "$mode" "$scenario" "$json" "$ticks" "$CLK_TCK" "$rss" "$extra" >>"$RESULTS"
  log "$server/$mode/$scenario: $(tail -1 "$RESULTS")"
}

# wrk_scenario SERVER MODE SCENARIO PID BASE_URL PATH [METHOD BODY AUTHORIZATION [CONNECTIONS DURATION]]
wrk_scenario() {
  local server=$1 mode=$2 scenario=$3 pid=$4 base=$5 path=$6
  local method=${7:-GET} body=${8:-} authz=${9:-} conns=${10:-$CONNECTIONS} dur=${11:-$DURATION}
  local port=${base##*:}
  local threads=$THREADS
  [ "$threads" -le "$conns" ] || threads=$conns
  local env=(BENCH_METHOD="$method" BENCH_BODY="$body" BENCH_AUTHORIZATION="$authz" BENCH_HOST="localhost:$port")
  # warm-up, not measured
  env "${env[@]}" "${PIN_CLIENT[@]}" wrk -t"$threads" -c"$conns" -d1s -s "$HERE/wrk/request.lua" "http://127.0.0.1:$port$path" >/dev/null
  local t0 t1 out json rss s0 s1 gen
  start_sampler "$pid"
  s0=$(cpuset_ticks "$BENCH_SERVER_CPUS")
  t0=$(cpu_ticks "$pid")
  # wrk's own CPU time (bash's `time`), and how busy the servers' CPUs were
  # and with what: whether the generator or the server is the limit, and
  # whether other processes took part of the server's CPU (README,
  # "Is the server the limit?").
  out=$( { TIMEFORMAT='WRKCPU %U %S'; time env "${env[@]}" "${PIN_CLIENT[@]}" wrk -t"$threads" -c"$conns" -d"${dur}s" --latency -s "$HERE/wrk/request.lua" "http://127.0.0.1:$port$path"; } 2>&1)
  t1=$(cpu_ticks "$pid")
  s1=$(cpuset_ticks "$BENCH_SERVER_CPUS")
  rss=$(stop_sampler)
  json=$(printf '%s\n' "$out" | sed -n 's/^JSON //p')
  [ -n "$json" ] || die "wrk gave no result for $server/$scenario: $out"
  gen=$(awk -v w="$(printf '%s\n' "$out" | sed -n 's/^WRKCPU //p')" -v a="$s0" -v b="$s1" -v p="$((t1 - t0))" -v n="$(cpuset_ticks "$BENCH_CLIENT_CPUS" | cut -d' ' -f4)" -v d="$dur" 'BEGIN {
    split(w, ww, " "); split(a, x, " "); split(b, y, " "); tot = y[3] - x[3]; if (tot <= 0) tot = 1
    printf "\"generator_cpu_s\":%.2f,\"generator_share\":%.3f,\"server_cpus_busy\":%.3f,\"server_cpus_process\":%.3f,\"server_cpus_irq\":%.3f,\"server_cpus_other\":%.3f",
      ww[1] + ww[2], (ww[1] + ww[2]) / (d * (n > 0 ? n : 1)), (y[1] - x[1]) / tot, p / tot, (y[2] - x[2]) / tot, (y[1] - x[1] - (y[2] - x[2]) - p) / tot }')
  record "$server" "$mode" "$scenario" "$json" "$((t1 - t0))" "$rss" "{\"connections\":$conns,\"driver\":\"wrk\",$gen}"
}

# driver_scenario SERVER MODE SCENARIO PID ISSUER DRIVER_MODE [CONNECTIONS DURATION]
# CPU time is read at the driver's "start" and "stop" marks, so the set-up of
# each loop (e.g. a first code flow for a refresh token) is not counted.
driver_scenario() {
  local server=$1 mode=$2 scenario=$3 pid=$4 issuer=$5 dmode=$6 conns=${7:-$CONNECTIONS} dur=${8:-$DURATION}
  local marks=$WORK/driver.marks out=$WORK/driver.out t0= t1= rss dpid
  : >"$marks"
  "${PIN_CLIENT[@]}" node "$HERE/driver/load.mjs" "$dmode" --issuer "$issuer" -c "$conns" -d "$dur" >"$out" 2>"$marks" &
  dpid=$!
  while kill -0 "$dpid" 2>/dev/null; do
    if [ -z "$t0" ] && grep -q '^start$' "$marks"; then
      t0=$(cpu_ticks "$pid")
      start_sampler "$pid"
    fi
    if [ -n "$t0" ] && [ -z "$t1" ] && grep -q '^stop$' "$marks"; then
      t1=$(cpu_ticks "$pid")
      rss=$(stop_sampler)
    fi
    sleep 0.02
  done
  wait "$dpid" || die "driver failed for $server/$scenario: $(cat "$marks")"
  [ -n "$t0" ] && [ -n "$t1" ] || die "driver gave no start/stop marks for $server/$scenario: $(cat "$marks")"
  record "$server" "$mode" "$scenario" "$(tail -1 "$out")" "$((t1 - t0))" "$rss" "{\"connections\":$conns,\"driver\":\"node\"}"
}

# Polls a URL until it answers 200; prints the milliseconds since $2.
wait_ready() {
  local url=$1 since=$2 pid=$3
  wait_until_answers "$url" "$pid" 120 || die "no answer from $url (log: $WORK)"
  echo $(($(now_ms) - since))
}

# --- Trame ----------------------------------------------------------------------------
trame_cli() { "$BIN" "$@" 2>>"$WORK/cli.log"; }

start_trame() {
  local t0
  t0=$(now_ms)
  "${PIN_SERVER[@]}" "$BIN" serve >>"$WORK/trame-$MODE.log" 2>&1 &
  SERVER_PID=$!
  STARTUP_MS=$(wait_ready "http://127.0.0.1:$PORT/_trame/ready" "$t0" "$SERVER_PID")
  sleep 1
  IDLE_RSS_KB=$(rss_kb "$SERVER_PID")
  log "trame ($MODE) ready in $STARTUP_MS ms, idle RSS $((IDLE_RSS_KB / 1024)) MB, pid $SERVER_PID"
}

# The TR39 skeleton of the digits of SQL expression $1 (see
# trame_core::username::skeleton): 0 looks like o and 1 like l, the other
# digits stand for themselves. Unique per account, as the index
# users_username_skeleton requires.
skeleton_digits() { printf "replace(replace(CAST(%s AS text), '0', 'o'), '1', 'l')" "$1"; }

# Copies user bench0 to bench<from>..bench<to-1>: same password hash, so
# every copy signs in with BENCH_PASSWORD. Mirrors `trame user add` rows:
# username bench<n>, e-mail bench<n>@example.fr, given name Bench, family
# name User<n>, and the keys the store keeps beside them (username_key,
# username_skeleton, email_key, given_key, family_key: entity/user.rs
# before_save), so the admin API's search finds the copies as it would
# accounts made through Trame. On PostgreSQL the table is then vacuumed, as
# autovacuum would soon after such a load (statistics, and the visibility
# map that lets counts read the index alone), so that it does not start in
# the middle of a measurement.
clone_users() {
  local from=$1 to=$2
  [ "$to" -gt "$from" ] || return 0
  if [ "$MODE" = postgres ]; then
    local cols sel
    cols=$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB_NAME" -Atc \
      "SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users' AND table_schema = 'public'")
    sel=$(printf '%s' "$cols" | sed -e "s/\bid\b/'bench-' || g/; s/\busername\b/'bench' || g/; s/\busername_key\b/'bench' || g/; s/\busername_skeleton\b/'bench' || $(skeleton_digits g)/; s/\bemail\b/'bench' || g || '@example.fr'/; s/\bemail_key\b/'bench' || g || '@example.fr'/; s/\bfamily_name\b/'User' || g/; s/\bfamily_key\b/'user' || g/")
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -q \
      -c "INSERT INTO users ($cols) SELECT $sel FROM users, generate_series($from, $((to - 1))) AS g WHERE users.username_key = 'bench0'" \
      -c "VACUUM (ANALYZE) users" >&2
  else
    local db=$TRAME_DATA_DIR/trame.db cols sel
    cols=$(sqlite3 "$db" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('users')")
    sel=$(printf '%s' "$cols" | sed -e "s/\"id\"/'bench-' || g.n/; s/\"username\"/'bench' || g.n/; s/\"username_key\"/'bench' || g.n/; s/\"username_skeleton\"/'bench' || $(skeleton_digits g.n)/; s/\"email\"/'bench' || g.n || '@example.fr'/; s/\"email_key\"/'bench' || g.n || '@example.fr'/; s/\"family_name\"/'User' || g.n/; s/\"family_key\"/'user' || g.n/")
    sqlite3 "$db" "PRAGMA busy_timeout = 10000; WITH RECURSIVE g(n) AS (SELECT $from UNION ALL SELECT n + 1 FROM g WHERE n < $((to - 1))) INSERT INTO users ($cols) SELECT $sel FROM users, g WHERE users.username_key = 'bench0';" >&2
  fi
}

# Tenants t1..t<n-1>: t1 with `trame tenant add` (timed, for reference), the
# others as the same rows written with SQL (PostgreSQL mode only).
add_tenants() {
  local n=$1 t0 psqlc
  [ "$n" -gt 1 ] || return 0
  t0=$(now_ms)
  trame_cli tenant add t1 >/dev/null
  echo "{\"server\":\"trame\",\"mode\":\"scale\",\"scenario\":\"_setup\",\"label\":\"one tenant add\",\"ms\":$(($(now_ms) - t0))}" >>"$RESULTS"
  [ "$n" -gt 2 ] || return 0
  # (a timeout and one retry, in case the Node process hangs; see seed-tenants.mjs)
  timeout 300 node "$HERE/driver/seed-tenants.mjs" "$TRAME_DATA_DIR/master.key" "$TRAME_PUBLIC_URL" 2 "$n" "$WORK/tenants.csv" </dev/null ||
    timeout 300 node "$HERE/driver/seed-tenants.mjs" "$TRAME_DATA_DIR/master.key" "$TRAME_PUBLIC_URL" 2 "$n" "$WORK/tenants.csv" </dev/null ||
    die "seed-tenants.mjs failed twice"
  psqlc=(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -q)
  local cols sel
  cols=$("${psqlc[@]}" -Atc "SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'tenants' AND table_schema = 'public'")
  sel=$(printf '%s' "$cols" | sed -e 's/\bid\b/s.id/; s/\bslug\b/s.slug/; s/\bissuer\b/s.issuer/; s/\bdisplay_name\b/s.slug/; s/\bpairwise_salt\b/s.pairwise_salt/')
  "${psqlc[@]}" >&2 <<SQL
CREATE TEMP TABLE seed (id text, slug text, issuer text, pairwise_salt text, kid text, private_key_sealed text, public_jwk text, fkid text, fsealed text, fjwk text);
\\copy seed FROM '$WORK/tenants.csv' WITH (FORMAT csv)
BEGIN;
INSERT INTO tenants ($cols) SELECT $sel FROM tenants t, seed s WHERE t.slug = 'default';
INSERT INTO signing_keys (kid, tenant_id, alg, private_key_sealed, public_jwk, activates_at, created_at)
  SELECT s.kid, s.id, 'ES256', s.private_key_sealed, s.public_jwk, k.activates_at, k.created_at
  FROM seed s, (SELECT activates_at, created_at FROM signing_keys WHERE alg = 'ES256' LIMIT 1) k;
INSERT INTO federation_keys (kid, tenant_id, alg, private_key_sealed, public_jwk, activates_at, created_at, purpose)
  SELECT s.fkid, s.id, 'ES256', s.fsealed, s.fjwk, k.activates_at, k.created_at, 'federation'
  FROM seed s, (SELECT activates_at, created_at FROM federation_keys WHERE purpose = 'federation' LIMIT 1) k;
UPDATE catalog_version SET version = version + 1 WHERE id = 1;
COMMIT;
ANALYZE tenants; ANALYZE signing_keys; ANALYZE federation_keys;
SQL
}

setup_trame() {
  PORT=$(free_port)
  export TRAME_LISTEN=127.0.0.1:$PORT
  export TRAME_PUBLIC_URL=http://localhost:$PORT
  export TRAME_DATA_DIR=$WORK/data-$MODE
  # The operator's defaults, logging included (`info`, as `trame serve`
  # runs unless told otherwise): issue 21 asks for figures at the settings
  # an operator runs, so per-request logging would show here.
  unset TRAME_LOG_LEVEL
  export TRAME_MAIL_OUTBOX_DIR=""
  # The passkey driver sends X-Forwarded-For (one address per flow, as many
  # browsers would) so that its ceremonies do not all count against the one
  # address of the load generator (600 per 15 minutes, see load.mjs).
  export TRAME_TRUSTED_PROXIES=127.0.0.1
  unset TRAME_DATABASE_URL TRAME_REDIS_URL TRAME_REDIS_PREFIX
  mkdir -p "$TRAME_DATA_DIR"
  if [ "$MODE" = postgres ]; then
    DB_NAME=trame_bench_$(rand_hex 6)
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $DB_NAME" >&2 ||
      {
        DB_NAME=
        die "cannot create a PostgreSQL database on $PG_HOST:$PG_PORT"
      }
    REDIS_PREFIX="trame-bench-$(rand_hex 4):"
    # Without TLS, as a database on the same host is reached (see README:
    # with sslmode=prefer, each new connection costs about 50 ms of TLS
    # set-up, which start-up would measure instead of Trame).
    export TRAME_DATABASE_URL=postgres://$PG_USER@$PG_HOST:$PG_PORT/$DB_NAME?sslmode=${BENCH_PG_SSLMODE:-disable}
    export TRAME_REDIS_URL=$REDIS_URL
    export TRAME_REDIS_PREFIX=$REDIS_PREFIX
  fi
  trame_cli tenant list >/dev/null
  trame_cli tenant set default --registration open >/dev/null
  printf '%s\n' "$BENCH_PASSWORD" | trame_cli user add --tenant default --username bench0 \
    --email bench0@example.fr --given-name Bench --family-name User0 --password-stdin >/dev/null
  clone_users 1 "$USERS_SMALL"
  printf '%s\n' "$BENCH_SECRET" | trame_cli client add --tenant default --client-id bench-web --secret-stdin \
    --redirect-uri "$BENCH_REDIRECT_URI" --auth-method client_secret_basic \
    --grant-type authorization_code --grant-type refresh_token \
    --scope "openid profile email offline_access" --skip-consent >/dev/null
  printf '%s\n' "$BENCH_SECRET" | trame_cli client add --tenant default --client-id bench-m2m --secret-stdin \
    --redirect-uri "$BENCH_REDIRECT_URI" --grant-type client_credentials >/dev/null
  # The admin API's caller (scale phase): a client_credentials client with
  # scope trame:admin, made operator for the installation's tenant list.
  printf '%s\n' "$BENCH_SECRET" | trame_cli client add --tenant default --client-id bench-admin --secret-stdin \
    --redirect-uri "$BENCH_REDIRECT_URI" --grant-type client_credentials --scope trame:admin >/dev/null
  trame_cli admin grant --client bench-admin --role operator >/dev/null
  export BENCH_USERS=$USERS_SMALL
}

# A fresh admin API access token of bench-admin (they live 5 minutes,
# trame_core::lifetimes::ACCESS_TOKEN: one per measurement).
admin_token() {
  curl -fsS -H "Host: localhost:$PORT" -u "bench-admin:$BENCH_SECRET" \
    --data-urlencode grant_type=client_credentials --data-urlencode scope=trame:admin "http://127.0.0.1:$PORT/token" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).access_token))'
}

# admin_scenario LABEL SCENARIO PATH: a wrk scenario on the admin API with a
# fresh token, after one request checked (200, a page of items) whose item
# count is recorded with the row ("items").
admin_scenario() {
  local label=$1 scenario=$2 path=$3 token items
  token=$(admin_token) || die "no admin API token for bench-admin (log: $WORK)"
  items=$(curl -fsS -H "Host: localhost:$PORT" -H "Authorization: Bearer $token" -H "Accept: application/json" "http://127.0.0.1:$PORT$path" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.length))') ||
    die "admin API request failed: GET $path"
  log "GET $path: $items items"
  wrk_scenario trame "scale:$label" "$scenario" "$SERVER_PID" "$TRAME_PUBLIC_URL" "$path" GET "" "Bearer $token" "$SCALE_CONNECTIONS"
  # the item count, added to the row just recorded
  node -e '
    const fs = require("fs"); const [file, items] = process.argv.slice(1);
    const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    lines[lines.length - 1] = JSON.stringify({ ...JSON.parse(lines[lines.length - 1]), items: Number(items) });
    fs.writeFileSync(file, lines.join("\n") + "\n");
  ' "$RESULTS" "$items"
}

# explain_admin LABEL: with BENCH_EXPLAIN=1, the plans PostgreSQL chooses
# for the admin rows' queries (as the store sends them: sea-orm's SQL with
# bind parameters, so both the custom plan of the first executions and the
# generic plan a prepared statement may switch to after five), into
# $WORK/explain.txt (KEEP_WORKDIR=1 keeps it).
explain_admin() {
  [ "${BENCH_EXPLAIN:-0}" = 1 ] || return 0
  local few range
  few=$(few_prefix "$BENCH_USERS")
  # username_key >= p AND username_key < p' AND username_key LIKE p%, for
  # each of the four keys (repo/users.rs starts_with)
  range() { printf "(\"%s\" >= \$2 AND \"%s\" < \$3 AND \"%s\" LIKE \$4 ESCAPE '\\')" "$1" "$1" "$1"; }
  {
    echo "=== $1 ==="
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -X <<SQL
PREPARE search(text, text, text, text) AS SELECT * FROM users WHERE tenant_id = \$1
  AND ($(range username_key) OR $(range email_key) OR $(range given_key) OR $(range family_key))
  ORDER BY username_key ASC LIMIT 21;
PREPARE count_users(text) AS SELECT COUNT(*) AS num_items FROM (SELECT users.id FROM users WHERE tenant_id = \$1) AS sub;
PREPARE tenants_page(text) AS SELECT * FROM tenants WHERE slug > \$1 ORDER BY slug ASC LIMIT 101;
SELECT id AS default_id FROM tenants WHERE slug = 'default' \gset
\echo --- user search '$few' (custom plan)
EXPLAIN (ANALYZE, BUFFERS) EXECUTE search(:'default_id', '$few', '$(printf '%s' "$few" | sed 's/.$//')$(printf '%s' "${few: -1}" | tr '0-8' '1-9')', '$few%');
\echo --- user search 'user' (custom plan)
EXPLAIN (ANALYZE, BUFFERS) EXECUTE search(:'default_id', 'user', 'uses', 'user%');
\echo --- count_users of the default tenant
EXPLAIN (ANALYZE, BUFFERS) EXECUTE count_users(:'default_id');
\echo --- tenants page after t5
EXPLAIN (ANALYZE, BUFFERS) EXECUTE tenants_page('t5');
SET plan_cache_mode = force_generic_plan;
\echo --- user search '$few' (generic plan)
EXPLAIN (ANALYZE, BUFFERS) EXECUTE search(:'default_id', '$few', '$(printf '%s' "$few" | sed 's/.$//')$(printf '%s' "${few: -1}" | tr '0-8' '1-9')', '$few%');
\echo --- user search 'user' (generic plan)
EXPLAIN (ANALYZE, BUFFERS) EXECUTE search(:'default_id', 'user', 'uses', 'user%');
SQL
  } >>"$WORK/explain.txt" 2>&1 || log "warning: EXPLAIN failed (see $WORK/explain.txt)"
}

# A username prefix that matches 11 accounts of bench0..bench<n-1> (n of
# 100 or more): the digits 1234… one shorter than n-1, the account of that
# name and its ten longer ones (bench12345 for 1,000,000, bench1234 for
# 20,000, bench12 for 1,000).
few_prefix() {
  local last=$(($1 - 1))
  printf 'bench%s' "$(printf '1234567890123' | cut -c1-$((${#last} - 1)))"
}

# The scenarios, same order and settings for every server.
run_scenarios() {
  local server=$1 mode=$2 pid=$3 base=$4 passkeys=${5:-}
  local basic tokens at
  basic="Basic $(printf '%s' "bench-m2m:$BENCH_SECRET" | base64 -w0)"
  local web_basic
  web_basic="Basic $(printf '%s' "bench-web:$BENCH_SECRET" | base64 -w0)"
  wrk_scenario "$server" "$mode" discovery "$pid" "$base" /.well-known/openid-configuration
  wrk_scenario "$server" "$mode" jwks "$pid" "$base" /jwks
  wrk_scenario "$server" "$mode" client_credentials "$pid" "$base" /token POST "grant_type=client_credentials" "$basic"
  tokens=$("${PIN_CLIENT[@]}" node "$HERE/driver/load.mjs" tokens --issuer "$base")
  at=$(printf '%s' "$tokens" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).access_token))')
  wrk_scenario "$server" "$mode" userinfo "$pid" "$base" /userinfo GET "" "Bearer $at"
  wrk_scenario "$server" "$mode" introspection "$pid" "$base" /introspect POST "token=$at" "$web_basic"
  driver_scenario "$server" "$mode" refresh_rotation "$pid" "$base" refresh
  driver_scenario "$server" "$mode" authcode_password "$pid" "$base" authcode
  if [ -n "$passkeys" ]; then
    BENCH_PASSKEYS=$passkeys driver_scenario "$server" "$mode" authcode_passkey "$pid" "$base" passkey
  fi
}

# --- header -------------------------------------------------------------------------
cat >"$WORK/header.json" <<EOF
{"date":"$(date -u +%FT%TZ)","nproc":$NCPU,"loadavg":"$(cut -d' ' -f1-3 /proc/loadavg)",
 "cpu":"$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)","mem_mb":$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024)),
 "trame":"$("$BIN" --version)","binary":"$BIN","node":"$(node --version)","wrk":"$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)",
 "oidc_provider":"$(node -p 'require(process.argv[1]).version' "$HERE/node_modules/oidc-provider/package.json")",
 "quick":$QUICK,"duration_s":$DURATION,"connections":$CONNECTIONS,"threads":$THREADS,
 "server_cpus":"$BENCH_SERVER_CPUS","client_cpus":"$BENCH_CLIENT_CPUS","pinned":$([ ${#PIN_SERVER[@]} -gt 0 ] && echo true || echo false),
 "tenants":$TENANTS,"users_small":$USERS_SMALL,"users_big":$USERS_BIG,"scale_connections":$SCALE_CONNECTIONS,
 "note":$(node -p 'JSON.stringify(process.env.BENCH_NOTE || "")')}
EOF
log "work dir $WORK; servers on CPUs $BENCH_SERVER_CPUS, load generators on $BENCH_CLIENT_CPUS; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- physical limits --------------------------------------------------------------------
if [ "$SKIP_LIMITS" != 1 ]; then
  log "building and running the single-core limits (ops/bench/limits)"
  (cd "$HERE/limits" && CARGO_TARGET_DIR=${BENCH_CARGO_TARGET_DIR:-/work/target-bench} nice -n 10 cargo build --release --quiet >&2)
  LIMITS_BIN=${BENCH_CARGO_TARGET_DIR:-/work/target-bench}/release/trame-bench-limits
  "${PIN_SERVER[@]}" "$LIMITS_BIN" "$([ "$QUICK" = 1 ] && echo 1 || echo 3)" >"$WORK/limits.json"
  log "limits: $(cat "$WORK/limits.json")"
fi

# --- the peer: oidc-provider --------------------------------------------------------
PEER_PORT=$(free_port)
log "starting oidc-provider on port $PEER_PORT"
t0=$(now_ms)
BENCH_USERS=$USERS_SMALL PORT=$PEER_PORT ISSUER=http://localhost:$PEER_PORT \
  "${PIN_SERVER[@]}" node "$HERE/peer/server.mjs" >"$WORK/peer.log" 2>&1 &
SERVER_PID=$!
PEER_STARTUP_MS=$(wait_ready "http://127.0.0.1:$PEER_PORT/.well-known/openid-configuration" "$t0" "$SERVER_PID")
sleep 1
echo "{\"server\":\"oidc-provider\",\"mode\":\"memory\",\"scenario\":\"_start\",\"startup_ms\":$PEER_STARTUP_MS,\"idle_rss_mb\":$(($(rss_kb "$SERVER_PID") / 1024))}" >>"$RESULTS"
export BENCH_USERS=$USERS_SMALL
run_scenarios oidc-provider memory "$SERVER_PID" "http://localhost:$PEER_PORT"
echo "{\"server\":\"oidc-provider\",\"mode\":\"memory\",\"scenario\":\"_end\",\"hwm_mb\":$(($(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status") / 1024))}" >>"$RESULTS"
stop_pid "$SERVER_PID"
SERVER_PID=

# --- Trame, per storage mode --------------------------------------------------------------
PASSKEYS=
for MODE in $MODES; do
  log "=== Trame, $MODE ==="
  setup_trame
  start_trame
  echo "{\"server\":\"trame\",\"mode\":\"$MODE\",\"scenario\":\"_start\",\"startup_ms\":$STARTUP_MS,\"idle_rss_mb\":$((IDLE_RSS_KB / 1024))}" >>"$RESULTS"
  # One passkey per driver loop, enrolled through /signup (not timed).
  PASSKEYS=$WORK/passkeys-$MODE.json
  "${PIN_CLIENT[@]}" node "$HERE/driver/enroll.mjs" --issuer "$TRAME_PUBLIC_URL" -n "$CONNECTIONS" --out "$PASSKEYS" 2>"$WORK/enroll-$MODE.log" ||
    die "passkey enrolment failed: $(tail -3 "$WORK/enroll-$MODE.log")"
  run_scenarios trame "$MODE" "$SERVER_PID" "$TRAME_PUBLIC_URL" "$PASSKEYS"
  echo "{\"server\":\"trame\",\"mode\":\"$MODE\",\"scenario\":\"_end\",\"hwm_mb\":$(($(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status") / 1024))}" >>"$RESULTS"

  if [ "$MODE" = postgres ] && [ "$SKIP_SCALE" != 1 ]; then
    log "=== scale (PostgreSQL + Redis) ==="
    scale() { # scale LABEL: startup, idle RSS, discovery + client_credentials latency, sign-in latency
      local label=$1 basic
      stop_pid "$SERVER_PID"
      start_trame
      echo "{\"server\":\"trame\",\"mode\":\"scale\",\"scenario\":\"_start\",\"label\":\"$label\",\"startup_ms\":$STARTUP_MS,\"idle_rss_mb\":$((IDLE_RSS_KB / 1024))}" >>"$RESULTS"
      basic="Basic $(printf '%s' "bench-m2m:$BENCH_SECRET" | base64 -w0)"
      wrk_scenario trame "scale:$label" discovery "$SERVER_PID" "$TRAME_PUBLIC_URL" /.well-known/openid-configuration GET "" "" "$SCALE_CONNECTIONS"
      wrk_scenario trame "scale:$label" client_credentials "$SERVER_PID" "$TRAME_PUBLIC_URL" /token POST "grant_type=client_credentials" "$basic" "$SCALE_CONNECTIONS"
      driver_scenario trame "scale:$label" signin "$SERVER_PID" "$TRAME_PUBLIC_URL" authcode "$SCALE_CONNECTIONS"
      # The admin API (issue 17): user search in the default tenant, which
      # holds every user, by a username prefix matching a handful of
      # accounts, and by a family-name prefix matching every copy (User<n>:
      # the first 20 in username order out of them all); the operator's
      # tenant list, a page of 100 (each with its user and client counts),
      # first and (with tenants enough) one from the middle of the slugs.
      explain_admin "$label"
      admin_scenario "$label" admin_search_few "/admin/api/v1/users?q=$(few_prefix "$BENCH_USERS")&limit=20"
      admin_scenario "$label" admin_search_all "/admin/api/v1/users?q=user&limit=20"
      admin_scenario "$label" admin_tenants "/_trame/admin/api/v1/tenants?limit=100"
      if [ "$SCALE_TENANTS" -gt 100 ]; then
        # slugs t1..t<n-1> sort as text: t1, t10, t100, ...; after "t5" comes the
        # second half (the cursor is the last slug seen, base64url)
        admin_scenario "$label" admin_tenants_deep "/_trame/admin/api/v1/tenants?limit=100&cursor=$(printf t5 | base64 -w0 | tr '+/' '-_' | tr -d =)"
      fi
    }
    SCALE_TENANTS=1
    export BENCH_USERS=$USERS_SMALL
    scale "1 tenant, $USERS_SMALL users"
    log "adding $((USERS_BIG - USERS_SMALL)) users with SQL"
    t0=$(now_ms)
    clone_users "$USERS_SMALL" "$USERS_BIG"
    echo "{\"server\":\"trame\",\"mode\":\"scale\",\"scenario\":\"_setup\",\"label\":\"users\",\"ms\":$(($(now_ms) - t0))}" >>"$RESULTS"
    export BENCH_USERS=$USERS_BIG
    scale "1 tenant, $USERS_BIG users"
    log "adding $((TENANTS - 1)) tenants (one with the CLI, the rest with SQL, see driver/seed-tenants.mjs)"
    t0=$(now_ms)
    add_tenants "$TENANTS"
    SCALE_TENANTS=$TENANTS
    echo "{\"server\":\"trame\",\"mode\":\"scale\",\"scenario\":\"_setup\",\"label\":\"tenants\",\"ms\":$(($(now_ms) - t0))}" >>"$RESULTS"
    scale "$TENANTS tenants, $USERS_BIG users"
  fi
  stop_pid "$SERVER_PID"
  SERVER_PID=
  drop_db
  if [ -n "${REDIS_PREFIX:-}" ]; then
    redis-cli -u "$REDIS_URL" --scan --pattern "${REDIS_PREFIX}*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
    REDIS_PREFIX=
  fi
done

# --- report ------------------------------------------------------------------------------
node "$HERE/report.mjs" "$WORK/header.json" "$RESULTS" "$WORK/limits.json" >"$REPORT"
cp "$RESULTS" "${REPORT%.md}.jsonl"
log "report written to $REPORT (raw results: ${REPORT%.md}.jsonl)"

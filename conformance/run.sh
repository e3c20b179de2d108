#!/usr/bin/env bash
# End-to-end suite of Trame, driven by openid-client (see README.md).
#
#   conformance/run.sh <path-to-trame-binary> <embedded|postgres>
#
# Sets up a fresh Trame (temp data dir, free port; for postgres a fresh
# database) with the CLI, starts `trame serve`, runs `node --test` and always
# stops the server. Exits non-zero if the setup or any test fails.
#
# Environment knobs: CHROMIUM_PATH (/usr/bin/chromium) for the browser suite;
# KEEP_WORKDIR=1 keeps the temp dir even on success;
# TRAME_E2E_PG_HOST / TRAME_E2E_PG_PORT / TRAME_E2E_PG_USER (127.0.0.1 / 5432 /
# postgres) and TRAME_E2E_REDIS_URL (redis://127.0.0.1:6379/) for postgres mode;
# extra arguments after the mode are passed to `node --test` (e.g. a file list).
set -euo pipefail
shopt -s inherit_errexit

usage() {
  echo "usage: $0 <path-to-trame-binary> <embedded|postgres> [test files...]" >&2
  exit 2
}

[ $# -ge 2 ] || usage
BIN_ARG=$1
MODE=$2
shift 2
case "$MODE" in embedded | postgres) ;; *) usage ;; esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../ops/lib/process.sh
source "$HERE/../ops/lib/process.sh"
if [ ! -x "$BIN_ARG" ]; then
  echo "run.sh: $BIN_ARG is not an executable file" >&2
  exit 2
fi
BIN=$(cd "$(dirname "$BIN_ARG")" && pwd)/$(basename "$BIN_ARG")

log() { echo "[run.sh] $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
rand_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/trame-e2e.XXXXXX")
SERVER_LOG=$WORK/server.log
SERVER_PID=
DB_NAME=
STATUS=1

PG_HOST=${TRAME_E2E_PG_HOST:-127.0.0.1}
PG_PORT=${TRAME_E2E_PG_PORT:-5432}
PG_USER=${TRAME_E2E_PG_USER:-postgres}

print_server_log() {
  if [ -s "$SERVER_LOG" ]; then
    echo "----- trame server log ($SERVER_LOG) -----" >&2
    cat "$SERVER_LOG" >&2
    echo "----- end of trame server log -----" >&2
  fi
}

cleanup() {
  local rc=$?
  [ "$STATUS" -eq 0 ] || [ "$rc" -ne 0 ] || rc=1
  stop_pid "$SERVER_PID"
  if [ -n "$DB_NAME" ]; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -q \
      -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 ||
      log "warning: could not drop database $DB_NAME"
  fi
  if [ "$rc" -ne 0 ]; then
    print_server_log
    log "FAILED ($MODE); work dir kept: $WORK"
  elif [ -n "${KEEP_WORKDIR:-}" ]; then
    log "passed ($MODE); work dir kept: $WORK"
  else
    rm -rf "$WORK"
    log "passed ($MODE)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Node dependencies ------------------------------------------------------
if [ ! -d "$HERE/node_modules/openid-client" ] || [ ! -d "$HERE/node_modules/playwright-core" ] ||
  [ ! -d "$HERE/node_modules/axe-core" ] || [ ! -d "$HERE/node_modules/@seriousme/openapi-schema-validator" ]; then
  log "installing npm dependencies (npm ci)"
  (cd "$HERE" && npm ci --no-audit --no-fund >&2) || die "npm ci failed"
fi

# --- Trame configuration ------------------------------------------------------
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
[ -n "$PORT" ] || die "could not pick a free port"

unset TRAME_DATABASE_URL TRAME_REDIS_URL
export TRAME_LISTEN=127.0.0.1:$PORT
export TRAME_PUBLIC_URL=http://localhost:$PORT
export TRAME_DATA_DIR=$WORK/data
export TRAME_LOG_FORMAT=text
# An empty themes folder the browser suite writes tenants' overrides into
# while the server runs (browser/themes.test.mjs).
export TRAME_THEMES_DIR=$WORK/themes
# Mail goes to files the browser suite reads the links of (browser/level.test.mjs).
export TRAME_MAIL_OUTBOX_DIR=$WORK/outbox
export TRAME_E2E_OUTBOX=$TRAME_MAIL_OUTBOX_DIR
mkdir -p "$TRAME_DATA_DIR" "$TRAME_THEMES_DIR" "$TRAME_MAIL_OUTBOX_DIR"

if [ "$MODE" = postgres ]; then
  DB_NAME=trame_e2e_$(rand_hex 6)
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE DATABASE $DB_NAME" >&2 || {
    DB_NAME=
    die "could not create the PostgreSQL database (is PostgreSQL on $PG_HOST:$PG_PORT?)"
  }
  export TRAME_DATABASE_URL=postgres://$PG_USER@$PG_HOST:$PG_PORT/$DB_NAME
  export TRAME_REDIS_URL=${TRAME_E2E_REDIS_URL:-redis://127.0.0.1:6379/}
  log "database $DB_NAME, redis $TRAME_REDIS_URL"
fi
log "binary $BIN, mode $MODE, public URL $TRAME_PUBLIC_URL, work dir $WORK"

# Runs a CLI command; its stdout is returned, stderr goes to the log.
trame() {
  local out
  if ! out=$("$BIN" "$@" 2>>"$WORK/cli.log"); then
    echo "----- CLI log -----" >&2
    cat "$WORK/cli.log" >&2
    die "command failed: trame $*"
  fi
  printf '%s' "$out"
}

# Adds a confidential client and prints its secret (from the one
# `client_secret: <secret>` line the CLI prints).
add_client() {
  local out secret
  out=$(trame client add --tenant default "$@")
  secret=$(printf '%s\n' "$out" | sed -n 's/^client_secret: //p')
  if [ -z "$secret" ] || [ "$(printf '%s\n' "$secret" | wc -l)" -ne 1 ]; then
    die "client add $* did not print exactly one 'client_secret: <secret>' line; stdout was: $out"
  fi
  printf '%s' "$secret"
}

REDIRECT_URI=http://localhost:9/cb
PAIRWISE_REDIRECT_URI=http://127.0.0.1:9/cb
POST_LOGOUT_REDIRECT_URI=http://localhost:9/logged-out
ALL_SCOPES="openid profile email phone address offline_access"

export TRAME_E2E_ISSUER=$TRAME_PUBLIC_URL
export TRAME_E2E_REDIRECT_URI=$REDIRECT_URI
export TRAME_E2E_PAIRWISE_REDIRECT_URI=$PAIRWISE_REDIRECT_URI
export TRAME_E2E_POST_LOGOUT_REDIRECT_URI=$POST_LOGOUT_REDIRECT_URI

export TRAME_E2E_USERNAME=alice
export TRAME_E2E_PASSWORD="pw-$(rand_hex 12)"
export TRAME_E2E_EMAIL=alice@example.com
export TRAME_E2E_GIVEN_NAME=Alice
export TRAME_E2E_FAMILY_NAME=Liddell
# A verified phone number and a postal address, so the phone, address and
# all-scopes modules see every claim of their scopes.
export TRAME_E2E_PHONE=+33612345678
export TRAME_E2E_STREET="1 place de la Mairie"
export TRAME_E2E_LOCALITY=Trame-sur-Loire
export TRAME_E2E_POSTAL_CODE=45000
export TRAME_E2E_COUNTRY=FR

log "setting up tenant, clients and user with the CLI"
trame tenant list >/dev/null
# Open sign-up: the passkey suite (browser/passkeys.test.mjs) creates its
# accounts at <issuer>/signup.
trame tenant set default --registration open >/dev/null
printf '%s\n' "$TRAME_E2E_PASSWORD" | trame user add --tenant default \
  --username "$TRAME_E2E_USERNAME" --email "$TRAME_E2E_EMAIL" \
  --given-name "$TRAME_E2E_GIVEN_NAME" --family-name "$TRAME_E2E_FAMILY_NAME" \
  --phone-number "$TRAME_E2E_PHONE" --phone-number-verified \
  --address-street "$TRAME_E2E_STREET" --address-locality "$TRAME_E2E_LOCALITY" \
  --address-postal-code "$TRAME_E2E_POSTAL_CODE" --address-country "$TRAME_E2E_COUNTRY" \
  --password-stdin >/dev/null

# e2e-basic and e2e-post ask for public subject identifiers (the tenant's
# default is pairwise): the passkey and pairwise suites compare their `sub`
# with each other's and with the pairwise client's.
export TRAME_E2E_BASIC_CLIENT_ID=e2e-basic
TRAME_E2E_BASIC_CLIENT_SECRET=$(add_client --client-id "$TRAME_E2E_BASIC_CLIENT_ID" \
  --redirect-uri "$REDIRECT_URI" --post-logout-redirect-uri "$POST_LOGOUT_REDIRECT_URI" \
  --auth-method client_secret_basic --scope "$ALL_SCOPES" --subject-type public)
export TRAME_E2E_BASIC_CLIENT_SECRET

export TRAME_E2E_POST_CLIENT_ID=e2e-post
TRAME_E2E_POST_CLIENT_SECRET=$(add_client --client-id "$TRAME_E2E_POST_CLIENT_ID" \
  --redirect-uri "$REDIRECT_URI" --post-logout-redirect-uri "$POST_LOGOUT_REDIRECT_URI" \
  --auth-method client_secret_post --scope "$ALL_SCOPES" --skip-consent --subject-type public)
export TRAME_E2E_POST_CLIENT_SECRET

export TRAME_E2E_REFRESH_CLIENT_ID=e2e-refresh
TRAME_E2E_REFRESH_CLIENT_SECRET=$(add_client --client-id "$TRAME_E2E_REFRESH_CLIENT_ID" \
  --redirect-uri "$REDIRECT_URI" --auth-method client_secret_basic \
  --grant-type authorization_code --grant-type refresh_token \
  --scope "$ALL_SCOPES" --skip-consent)
export TRAME_E2E_REFRESH_CLIENT_SECRET

export TRAME_E2E_M2M_CLIENT_ID=e2e-m2m
TRAME_E2E_M2M_CLIENT_SECRET=$(add_client --client-id "$TRAME_E2E_M2M_CLIENT_ID" \
  --redirect-uri "$REDIRECT_URI" --grant-type client_credentials)
export TRAME_E2E_M2M_CLIENT_SECRET

# The admin API's client (tests/admin-api.test.mjs): a script with
# tenant-admin rights through the trame:admin scope; alice is the
# installation's operator.
export TRAME_E2E_ADMIN_CLIENT_ID=e2e-admin
TRAME_E2E_ADMIN_CLIENT_SECRET=$(add_client --client-id "$TRAME_E2E_ADMIN_CLIENT_ID" \
  --grant-type client_credentials --scope trame:admin)
export TRAME_E2E_ADMIN_CLIENT_SECRET
trame admin grant "$TRAME_E2E_USERNAME" --role operator >/dev/null

export TRAME_E2E_PAIRWISE_CLIENT_ID=e2e-pairwise
TRAME_E2E_PAIRWISE_CLIENT_SECRET=$(add_client --client-id "$TRAME_E2E_PAIRWISE_CLIENT_ID" \
  --redirect-uri "$PAIRWISE_REDIRECT_URI" --subject-type pairwise --scope "$ALL_SCOPES")
export TRAME_E2E_PAIRWISE_CLIENT_SECRET

# The static clients of the OIDF plan mirrors (oidf/): PKCE optional, as the
# certification suite sends none outside its PKCE module; consent shown.
add_oidf_client() {
  add_client --client-id "$1" --redirect-uri "$REDIRECT_URI" --scope "$ALL_SCOPES" --pkce optional "${@:2}"
}
export TRAME_E2E_OIDF_CLIENT_ID=oidf-client
TRAME_E2E_OIDF_CLIENT_SECRET=$(add_oidf_client "$TRAME_E2E_OIDF_CLIENT_ID" --auth-method client_secret_basic)
export TRAME_E2E_OIDF_CLIENT_SECRET
export TRAME_E2E_OIDF2_CLIENT_ID=oidf-client2
TRAME_E2E_OIDF2_CLIENT_SECRET=$(add_oidf_client "$TRAME_E2E_OIDF2_CLIENT_ID" --auth-method client_secret_basic)
export TRAME_E2E_OIDF2_CLIENT_SECRET
export TRAME_E2E_OIDF_POST_CLIENT_ID=oidf-post
TRAME_E2E_OIDF_POST_CLIENT_SECRET=$(add_oidf_client "$TRAME_E2E_OIDF_POST_CLIENT_ID" --auth-method client_secret_post)
export TRAME_E2E_OIDF_POST_CLIENT_SECRET
export TRAME_E2E_OIDF_RS256_CLIENT_ID=oidf-rs256
TRAME_E2E_OIDF_RS256_CLIENT_SECRET=$(add_oidf_client "$TRAME_E2E_OIDF_RS256_CLIENT_ID" --auth-method client_secret_basic --id-token-alg RS256)
export TRAME_E2E_OIDF_RS256_CLIENT_SECRET
export TRAME_E2E_OIDF_USERINFO_RS256_CLIENT_ID=oidf-userinfo-rs256
TRAME_E2E_OIDF_USERINFO_RS256_CLIENT_SECRET=$(add_oidf_client "$TRAME_E2E_OIDF_USERINFO_RS256_CLIENT_ID" --auth-method client_secret_basic --userinfo-alg RS256)
export TRAME_E2E_OIDF_USERINFO_RS256_CLIENT_SECRET
# The static client of the RP-Initiated Logout plan mirror
# (oidf/rp-initiated-logout.test.mjs): oidf-client's set-up plus a
# registered post_logout_redirect_uri.
export TRAME_E2E_OIDF_LOGOUT_CLIENT_ID=oidf-logout
TRAME_E2E_OIDF_LOGOUT_CLIENT_SECRET=$(add_oidf_client "$TRAME_E2E_OIDF_LOGOUT_CLIENT_ID" --auth-method client_secret_basic \
  --post-logout-redirect-uri "$POST_LOGOUT_REDIRECT_URI")
export TRAME_E2E_OIDF_LOGOUT_CLIENT_SECRET

# The Dynamic OP plan mirror (oidf/dynamic-op.test.mjs) runs on tenants of
# its own, so that rotating their keys does not disturb the other suites:
# "dyn" takes registrations from anyone (PKCE optional for confidential
# clients, as the certification suite sends none), "dyn-token" only with an
# initial access token.
trame tenant add dyn --display-name "Dynamic OP" >/dev/null
trame tenant set dyn --dynamic-registration open --dynamic-client-pkce optional >/dev/null
printf '%s\n' "$TRAME_E2E_PASSWORD" | trame user add --tenant dyn \
  --username "$TRAME_E2E_USERNAME" --email "$TRAME_E2E_EMAIL" \
  --given-name "$TRAME_E2E_GIVEN_NAME" --family-name "$TRAME_E2E_FAMILY_NAME" \
  --phone-number "$TRAME_E2E_PHONE" --phone-number-verified \
  --address-street "$TRAME_E2E_STREET" --address-locality "$TRAME_E2E_LOCALITY" \
  --address-postal-code "$TRAME_E2E_POSTAL_CODE" --address-country "$TRAME_E2E_COUNTRY" \
  --password-stdin >/dev/null
trame tenant add dyn-token --display-name "Dynamic OP (token)" >/dev/null
trame tenant set dyn-token --dynamic-registration token >/dev/null
TRAME_E2E_INITIAL_ACCESS_TOKEN=$(trame client token --tenant dyn-token --uses 1 | sed -n 's/^initial_access_token: //p')
[ -n "$TRAME_E2E_INITIAL_ACCESS_TOKEN" ] || die "client token did not print an initial access token"
export TRAME_E2E_INITIAL_ACCESS_TOKEN
export TRAME_E2E_DYN_ISSUER=$TRAME_PUBLIC_URL/dyn
export TRAME_E2E_DYN_TOKEN_ISSUER=$TRAME_PUBLIC_URL/dyn-token
# oidcc-server-rotate-keys runs `trame keys rotate` against the running server.
export TRAME_E2E_BIN=$BIN

# --- Server ------------------------------------------------------------------
log "starting trame serve"
"$BIN" serve >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

DISCOVERY=http://127.0.0.1:$PORT/.well-known/openid-configuration
wait_until_answers "$DISCOVERY" "$SERVER_PID" 30 || die "trame serve did not start"
log "server is up on port $PORT (pid $SERVER_PID)"

# --- Tests -------------------------------------------------------------------
cd "$HERE"
if [ $# -gt 0 ]; then
  FILES=("$@")
else
  FILES=(unit/*.test.mjs tests/*.test.mjs oidf/*.test.mjs browser/*.test.mjs)
fi
# The OIDF plan mirrors (oidf/) also write report/modules-<mode>.md, one line
# per module (lib/module-report.mjs), besides the usual output on stdout. That
# file is committed: a run of chosen files writes
# report/modules-<mode>-partial.md instead (not committed).
REPORT=$HERE/report/modules-$MODE.md
[ $# -eq 0 ] || REPORT=$HERE/report/modules-$MODE-partial.md
REPORTERS=()
for f in "${FILES[@]}"; do
  case "$f" in
  oidf/* | */oidf/*)
    mkdir -p "$HERE/report"
    REPORTERS=(--test-reporter=spec --test-reporter-destination=stdout
      --test-reporter=./lib/module-report.mjs --test-reporter-destination="$REPORT")
    break
    ;;
  esac
done
# The browser suite (browser/) needs Chromium; it saves screenshots under
# report/screenshots/<mode>/ (emptied first).
export TRAME_E2E_MODE=$MODE
rm -rf "$HERE/report/screenshots/$MODE"
# localhost must reach the IPv4 listener.
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--dns-result-order=ipv4first"
export TRAME_E2E_NETWORK_LOG=$WORK/network.log
: >"$TRAME_E2E_NETWORK_LOG"
set +e
node --test --test-concurrency=1 --test-timeout=120000 ${REPORTERS[@]+"${REPORTERS[@]}"} "${FILES[@]}"
STATUS=$?
set -e
# Nothing went outside this machine: Chromium's requests and Trame's own
# (lib/network-check.mjs), whatever the tests' outcome.
if ! node lib/network-check.mjs "$TRAME_PUBLIC_URL" "$TRAME_E2E_DYN_ISSUER" "$TRAME_E2E_DYN_TOKEN_ISSUER"; then
  STATUS=1
fi
[ ${#REPORTERS[@]} -eq 0 ] || log "OIDF module report: $REPORT"
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  log "the server died during the tests"
  STATUS=1
fi
exit "$STATUS"

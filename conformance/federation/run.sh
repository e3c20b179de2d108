#!/usr/bin/env bash
# Interoperability suite of Trame's OpenID Federation 1.0 endpoints, checked
# by an independent implementation (npm @openid-federation/core; see
# interop.test.mjs and conformance/README.md).
#
#   conformance/federation/run.sh <path-to-trame-binary>
#
# Makes a throw-away CA and a localhost certificate with the openssl CLI,
# sets up with the `trame` CLI only, in one installation served over HTTPS:
# a Trust Anchor (/ta), an Intermediate under it (/region) and an OP under
# the Intermediate (/op), a metadata policy at the anchor, a Trust Mark type
# the anchor issues and one issued to the OP; starts `trame serve`, runs
# `node --test federation/interop.test.mjs` (which has the OP hold the mark
# half-way, with the CLI) and always stops the server. The store is the
# embedded one (SQLite): this suite is about the federation's wire format,
# which does not depend on the store. KEEP_WORKDIR=1 keeps the temp dir.
set -euo pipefail
shopt -s inherit_errexit

[ $# -eq 1 ] || {
  echo "usage: $0 <path-to-trame-binary>" >&2
  exit 2
}
[ -x "$1" ] || {
  echo "run.sh: $1 is not an executable file" >&2
  exit 2
}
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CONFORMANCE=$(dirname "$HERE")
# shellcheck source=../../ops/lib/process.sh
source "$CONFORMANCE/../ops/lib/process.sh"

log() { echo "[federation/run.sh] $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
command -v openssl >/dev/null || die "openssl is not installed (Debian: apt-get install openssl)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/trame-fed-interop.XXXXXX")
SERVER_LOG=$WORK/server.log
SERVER_PID=
STATUS=1
cleanup() {
  local rc=$?
  [ "$STATUS" -eq 0 ] || [ "$rc" -ne 0 ] || rc=1
  stop_pid "$SERVER_PID"
  if [ "$rc" -ne 0 ]; then
    for f in "$WORK/cli.log" "$SERVER_LOG"; do
      [ -s "$f" ] && { echo "----- $f -----" >&2; cat "$f" >&2; }
    done
    log "FAILED; work dir kept: $WORK"
  elif [ -n "${KEEP_WORKDIR:-}" ]; then
    log "passed; work dir kept: $WORK"
  else
    rm -rf "$WORK"
    log "passed"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Node dependencies ------------------------------------------------------
if [ ! -d "$CONFORMANCE/node_modules/@openid-federation/core" ] || [ ! -d "$CONFORMANCE/node_modules/jose" ]; then
  log "installing npm dependencies (npm ci)"
  (cd "$CONFORMANCE" && npm ci --no-audit --no-fund >&2) || die "npm ci failed"
fi

# --- A throw-away CA and a certificate for localhost ------------------------
TLS=$WORK/tls
mkdir -p "$TLS"
{
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$TLS/ca.key" -out "$TLS/ca.pem" -days 2 -subj "/CN=Trame interop test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$TLS/key.pem" -out "$TLS/leaf.csr" -subj "/CN=localhost"
  printf '%s\n' "subjectAltName=DNS:localhost" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$TLS/leaf.ext"
  openssl x509 -req -in "$TLS/leaf.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" \
    -CAcreateserial -out "$TLS/cert.pem" -days 2 -extfile "$TLS/leaf.ext"
} >"$WORK/openssl.log" 2>&1 || {
  cat "$WORK/openssl.log" >&2
  die "openssl could not make the test certificates"
}

# --- Trame configuration ------------------------------------------------------
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
[ -n "$PORT" ] || die "could not pick a free port"
unset TRAME_DATABASE_URL TRAME_REDIS_URL
BASE=https://localhost:$PORT
export TRAME_LISTEN=127.0.0.1:$PORT
export TRAME_PUBLIC_URL=$BASE
export TRAME_DATA_DIR=$WORK/data
export TRAME_LOG_FORMAT=text
export TRAME_TLS_CERT_FILE=$TLS/cert.pem
export TRAME_TLS_KEY_FILE=$TLS/key.pem
# Trame's outbound requests (OpenSSL) and Node's trust the test CA.
export SSL_CERT_FILE=$TLS/ca.pem
export NODE_EXTRA_CA_CERTS=$TLS/ca.pem
mkdir -p "$TRAME_DATA_DIR"

trame() {
  "$BIN" "$@" 2>>"$WORK/cli.log" || die "command failed: trame $*"
}

TA=$BASE/ta
REGION=$BASE/region
OP=$BASE/op
MARK=$TA/marks/member
log "binary $BIN, federation under $BASE, work dir $WORK"

# The policy the anchor applies to the region and everything under it.
cat >"$WORK/policy.json" <<'JSON'
{"openid_provider": {
  "id_token_signing_alg_values_supported": {"subset_of": ["ES256", "PS256"]},
  "contacts": {"add": ["federation@ta.example"]}}}
JSON

{
  trame tenant add ta --display-name "Interop Trust Anchor"
  trame tenant add region --display-name "Interop Intermediate"
  trame tenant add op --display-name "Interop OP"
  trame federation set --tenant ta --authority true \
    --metadata "organization_name=Interop Trust Anchor" --metadata "contacts=ops@ta.example"
  trame federation set --tenant region --authority true --authority-hint "$TA"
  trame federation set --tenant op --authority-hint "$REGION"
  trame federation trust-anchor add --tenant op "$TA"
  # Enrolment reads each subordinate's keys and types from its Entity
  # Configuration (in-process: same installation).
  trame federation subordinate add --tenant region "$OP"
  trame federation subordinate add --tenant ta "$REGION" --policy-file "$WORK/policy.json"
  trame federation trust-mark issuers --tenant ta --type "$MARK" --issuer "$TA"
  trame federation trust-mark issue --tenant ta --type "$MARK" --sub "$OP" --days 30
} >>"$WORK/setup.log"

# --- Server ------------------------------------------------------------------
log "starting trame serve (HTTPS)"
"$BIN" serve >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
wait_until_answers "$OP/.well-known/openid-federation" "$SERVER_PID" 30 --cacert "$TLS/ca.pem" || die "trame serve did not start"
log "server is up on port $PORT (pid $SERVER_PID)"

# --- Test ----------------------------------------------------------------------
export TRAME_E2E_BIN=$BIN
export TRAME_E2E_FED_BASE=$BASE
cd "$CONFORMANCE"
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--dns-result-order=ipv4first"
set +e
node --test --test-concurrency=1 --test-timeout=60000 federation/interop.test.mjs
STATUS=$?
set -e
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  log "the server died during the tests"
  STATUS=1
fi
exit "$STATUS"

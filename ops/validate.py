"""Checks of the deployment files under ops/, run by ops/validate.sh.

Offline once its packages are installed: PyYAML (required), and when
present kubernetes-validate (schemas bundled), compose-spec (a strict
parser of the Compose specification) and kubectl (for `kubectl kustomize`,
which needs no cluster). What a missing optional tool would have checked is
reported as SKIP.

Besides syntax and schemas it checks the files against the code they deploy:
every TRAME_* variable is a setting of idp/settings/src/lib.rs, probe and
health-check paths are routes of idp/web/src/lib.rs, and the termination
grace periods exceed the SIGTERM drain of idp/server/src/serve.rs.

Usage: python3 ops/validate.py   (exit status 1 on any failure)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

OPS = Path(__file__).resolve().parent
ROOT = OPS.parent
KUBE = OPS / "kubernetes"
COMPOSE = OPS / "compose" / "compose.yaml"
CONTAINERFILE = OPS / "container" / "Containerfile"
K8S_VERSION = os.environ.get("TRAME_OPS_K8S_VERSION", "1.30.0")

failures: list[str] = []
skips: list[str] = []
passes = 0


def fail(where: str, message: str) -> None:
    failures.append(f"{where}: {message}")
    print(f"FAIL {where}: {message}")


def ok(what: str) -> None:
    global passes
    passes += 1
    print(f"ok   {what}")


def skip(what: str, why: str) -> None:
    skips.append(what)
    print(f"SKIP {what}: {why}")


def rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


# --- facts from the code -------------------------------------------------------


def code_settings() -> set[str] | None:
    """The keys a TRAME_ variable may set (the KEYS list of the settings crate)."""
    src = ROOT / "idp/settings/src/lib.rs"
    if not src.exists():
        return None
    m = re.search(r"const KEYS: &\[&str\] = &\[(.*?)\];", src.read_text(), re.S)
    if not m:
        return None
    return set(re.findall(r'"([a-z_]+)"', m.group(1)))


def code_routes() -> set[str]:
    src = ROOT / "idp/web/src/lib.rs"
    if not src.exists():
        return set()
    return set(re.findall(r'\.route\("(/_trame/[a-z]+)"', src.read_text()))


def code_drain_seconds() -> int | None:
    src = ROOT / "idp/server/src/serve.rs"
    if not src.exists():
        return None
    m = re.search(r"const DRAIN: Duration = Duration::from_secs\((\d+)\)", src.read_text())
    return int(m.group(1)) if m else None


def code_metrics() -> set[str] | None:
    """The metric names Trame exports (the `names` module of
    idp/app/src/telemetry.rs), with the series a histogram adds."""
    src = ROOT / "idp/app/src/telemetry.rs"
    if not src.exists():
        return None
    text = src.read_text()
    names = set(re.findall(r'pub const [A-Z_]+: &str = "(trame_[a-z0-9_]+)";', text))
    if not names:
        return None
    for n in [n for n in names if n.endswith("_seconds")]:
        names |= {f"{n}_bucket", f"{n}_sum", f"{n}_count"}
    return names


SETTINGS = code_settings()
ROUTES = code_routes()
DRAIN = code_drain_seconds()
METRICS = code_metrics()
OBSERVABILITY = OPS / "observability"


def check_env_name(where: str, name: str) -> None:
    if not name.startswith("TRAME_") or SETTINGS is None:
        return
    key = name[len("TRAME_"):].lower()
    if key not in SETTINGS:
        fail(where, f"{name} is not a setting (config.rs KEYS: {', '.join(sorted(SETTINGS))})")


def check_probe_path(where: str, path: str) -> None:
    if ROUTES and path not in ROUTES:
        fail(where, f"{path} is not a route of idp/web/src/lib.rs ({', '.join(sorted(ROUTES))})")


def parse_duration(s: str | int) -> float:
    """Compose durations: 1m30s, 40s, 500ms, or a number of seconds."""
    if isinstance(s, (int, float)):
        return float(s)
    total, units = 0.0, {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    for n, u in re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", s):
        total += float(n) * units[u]
    return total


# --- 1. YAML syntax ------------------------------------------------------------


def yaml_files() -> list[Path]:
    return sorted(p for p in OPS.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML keeps the last one
    silently; kubectl and Compose refuse them)."""


def _mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_all(p: Path) -> list:
    with p.open() as f:
        return [d for d in yaml.load_all(f, Loader=StrictLoader) if d is not None]


def check_yaml_syntax() -> dict[Path, list]:
    docs = {}
    for p in yaml_files():
        try:
            docs[p] = load_all(p)
            ok(f"YAML parses: {rel(p)}")
        except yaml.YAMLError as e:
            fail(rel(p), f"YAML: {e}")
    return docs


# --- 2. Kubernetes -----------------------------------------------------------------


def k8s_objects(docs: dict[Path, list]) -> list[tuple[Path, dict]]:
    out = []
    for p, ds in docs.items():
        if KUBE not in p.parents or p.name == "kustomization.yaml":
            continue
        for d in ds:
            out.append((p, d))
    return out


def pod_spec(obj: dict) -> dict | None:
    kind = obj.get("kind")
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"):
        return obj.get("spec", {}).get("template", {}).get("spec")
    if kind == "CronJob":
        return obj.get("spec", {}).get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec")
    if kind == "Pod":
        return obj.get("spec")
    return None


def pod_labels(obj: dict) -> dict:
    if obj.get("kind") == "Pod":
        return obj.get("metadata", {}).get("labels", {}) or {}
    return obj.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {}) or {}


def selects(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_k8s_structure(objs: list[tuple[Path, dict]]) -> None:
    secrets_example = {}
    configmaps = set()
    for p, o in objs:
        if o.get("kind") == "Secret":
            secrets_example[o["metadata"]["name"]] = set((o.get("stringData") or {}).keys()) | set((o.get("data") or {}).keys())
        if o.get("kind") == "ConfigMap":
            configmaps.add(o["metadata"]["name"])
            for k in (o.get("data") or {}):
                check_env_name(f"{rel(p)} ConfigMap {o['metadata']['name']}", k)
    workloads = []
    for p, o in objs:
        where = f"{rel(p)} {o.get('kind', '?')}/{(o.get('metadata') or {}).get('name', '?')}"
        for field in ("apiVersion", "kind"):
            if not o.get(field):
                fail(where, f"{field} missing")
        if not (o.get("metadata") or {}).get("name"):
            fail(where, "metadata.name missing")
        spec = pod_spec(o)
        if spec is None:
            continue
        workloads.append((p, o))
        labels = pod_labels(o)
        sel = (o.get("spec", {}).get("selector") or {}).get("matchLabels")
        if o.get("kind") in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
            if not selects(sel, labels):
                fail(where, f"selector {sel} does not match the pod template's labels {labels}")
        check_pod(where, spec, configmaps, secrets_example)
        if o.get("kind") == "Deployment":
            check_deployment(where, o, spec)
    for p, o in objs:
        where = f"{rel(p)} {o.get('kind')}/{o['metadata']['name']}"
        if o.get("kind") == "Service":
            sel = o.get("spec", {}).get("selector") or {}
            targets = [(wp, w) for wp, w in workloads if selects(sel, pod_labels(w))]
            if not targets:
                fail(where, f"selector {sel} matches no workload's pods")
            for _, w in targets:
                ports = container_ports(pod_spec(w))
                for sp in o["spec"].get("ports", []):
                    tp = sp.get("targetPort", sp.get("port"))
                    if tp not in ports:
                        fail(where, f"targetPort {tp} is not a container port of {w['metadata']['name']} ({sorted(map(str, ports))})")
        if o.get("kind") == "PodDisruptionBudget":
            sel = (o.get("spec", {}).get("selector") or {}).get("matchLabels") or {}
            targets = [w for _, w in workloads if w.get("kind") == "Deployment" and selects(sel, pod_labels(w))]
            if not targets:
                fail(where, f"selector {sel} matches no Deployment")
            for w in targets:
                min_av = o["spec"].get("minAvailable")
                if isinstance(min_av, int) and min_av >= w["spec"].get("replicas", 1):
                    fail(where, f"minAvailable {min_av} blocks every voluntary eviction ({w['spec'].get('replicas', 1)} replicas)")
    ok(f"Kubernetes structure: {len(objs)} objects (names, selectors, ports, probes, mounts, references, security context)")


def container_ports(spec: dict) -> set:
    ports = set()
    for c in spec.get("containers", []):
        for port in c.get("ports", []) or []:
            ports.add(port.get("containerPort"))
            if port.get("name"):
                ports.add(port["name"])
    return ports


def check_pod(where: str, spec: dict, configmaps: set, secrets: dict) -> None:
    psc = spec.get("securityContext") or {}
    if psc.get("runAsNonRoot") is not True:
        fail(where, "pod securityContext.runAsNonRoot is not true")
    if (psc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        fail(where, "pod securityContext.seccompProfile.type is not RuntimeDefault")
    if psc.get("runAsUser") == 0:
        fail(where, "runAsUser 0")
    volumes = {v["name"]: v for v in spec.get("volumes", []) or []}
    for v in volumes.values():
        s = v.get("secret")
        if s and s.get("secretName") in secrets:
            for item in s.get("items", []) or []:
                if item["key"] not in secrets[s["secretName"]]:
                    fail(where, f"volume {v['name']}: key {item['key']} is not in the example Secret {s['secretName']}")
    ports = container_ports(spec)
    for c in (spec.get("initContainers") or []) + spec.get("containers", []):
        cw = f"{where} container {c.get('name')}"
        sc = c.get("securityContext") or {}
        if sc.get("readOnlyRootFilesystem") is not True:
            fail(cw, "readOnlyRootFilesystem is not true")
        if sc.get("allowPrivilegeEscalation") is not False:
            fail(cw, "allowPrivilegeEscalation is not false")
        if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
            fail(cw, "capabilities.drop does not include ALL")
        res = c.get("resources") or {}
        if not (res.get("requests") and (res.get("limits") or {}).get("memory")):
            fail(cw, "resources.requests and limits.memory must be set")
        for m in c.get("volumeMounts", []) or []:
            if m["name"] not in volumes:
                fail(cw, f"volumeMount {m['name']} has no volume")
        for e in c.get("env", []) or []:
            check_env_name(cw, e["name"])
            ref = (e.get("valueFrom") or {}).get("secretKeyRef")
            if ref and ref.get("name") in secrets and ref["key"] not in secrets[ref["name"]]:
                if not ref.get("optional"):
                    fail(cw, f"env {e['name']}: key {ref['key']} is not in the example Secret {ref['name']}")
            ref = (e.get("valueFrom") or {}).get("configMapKeyRef")
            if ref and ref.get("name") not in configmaps and not ref.get("optional"):
                fail(cw, f"env {e['name']}: ConfigMap {ref.get('name')} is not defined here")
        for src in c.get("envFrom", []) or []:
            ref = src.get("configMapRef")
            if ref and ref.get("name") not in configmaps and not ref.get("optional"):
                fail(cw, f"envFrom ConfigMap {ref.get('name')} is not defined here")
        for probe_name in ("startupProbe", "livenessProbe", "readinessProbe"):
            probe = c.get(probe_name)
            if not probe:
                continue
            http = probe.get("httpGet")
            if http:
                if http.get("port") not in ports:
                    fail(cw, f"{probe_name} port {http.get('port')} is not a container port ({sorted(map(str, ports))})")
                check_probe_path(f"{cw} {probe_name}", http.get("path", ""))


def prestop_sleep(c: dict) -> int:
    pre = (c.get("lifecycle") or {}).get("preStop") or {}
    if "sleep" in pre:
        return int(pre["sleep"].get("seconds", 0))
    cmd = (pre.get("exec") or {}).get("command") or []
    if len(cmd) == 2 and cmd[0] in ("sleep", "/bin/sleep", "/usr/bin/sleep"):
        return int(cmd[1])
    return 0


def check_deployment(where: str, o: dict, spec: dict) -> None:
    if o["spec"].get("replicas", 1) < 2:
        fail(where, "fewer than 2 replicas")
    main = next((c for c in spec["containers"] if c.get("name") == "trame"), spec["containers"][0])
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        if probe not in main:
            fail(where, f"container {main.get('name')} has no {probe}")
    sleep = prestop_sleep(main)
    if sleep <= 0:
        fail(where, "no preStop sleep: the pod would stop accepting before it leaves the endpoints")
    grace = spec.get("terminationGracePeriodSeconds", 30)
    if DRAIN is not None and grace <= sleep + DRAIN:
        fail(where, f"terminationGracePeriodSeconds {grace} is not above preStop {sleep} s + drain {DRAIN} s")


def check_k8s_schemas(objs: list[tuple[Path, dict]]) -> None:
    try:
        import kubernetes_validate  # noqa: PLC0415
    except ImportError:
        skip("Kubernetes schemas", "kubernetes-validate is not installed")
        return
    n = 0
    for p, o in objs:
        try:
            kubernetes_validate.validate(o, K8S_VERSION, strict=True)
            n += 1
        except kubernetes_validate.ValidationError as e:
            fail(f"{rel(p)} {o.get('kind')}/{o.get('metadata', {}).get('name')}", f"schema {K8S_VERSION}: {e.message} at {'.'.join(map(str, e.path))}")
        except Exception as e:  # unknown kind or version
            fail(f"{rel(p)} {o.get('kind')}", f"schema {K8S_VERSION}: {e}")
    ok(f"Kubernetes schemas ({K8S_VERSION}, strict): {n} objects")


def check_kustomizations() -> None:
    for k in sorted(KUBE.rglob("kustomization.yaml")):
        d = yaml.safe_load(k.read_text())
        for r in d.get("resources", []):
            if not (k.parent / r).exists():
                fail(rel(k), f"resource {r} does not exist")
        kubectl = shutil.which("kubectl")
        if not kubectl:
            skip(f"kubectl kustomize {rel(k.parent)}", "kubectl not found")
            continue
        r = subprocess.run([kubectl, "kustomize", str(k.parent)], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            fail(rel(k), f"kubectl kustomize: {r.stderr.strip()}")
            continue
        built = [d for d in yaml.safe_load_all(r.stdout) if d]
        images = {c["image"] for o in built if pod_spec(o) for c in (pod_spec(o).get("initContainers") or []) + pod_spec(o)["containers"]}
        if any(":" not in i for i in images):
            fail(rel(k), f"an image is left without a tag after kustomize: {sorted(images)}")
        ns = d.get("namespace")
        if ns and any(o.get("metadata", {}).get("namespace") not in (ns, None) for o in built if o.get("kind") != "Namespace"):
            fail(rel(k), "objects outside the kustomization's namespace")
        ok(f"kubectl kustomize {rel(k.parent)}: {len(built)} objects, images {sorted(images)}")
        try:
            import kubernetes_validate  # noqa: PLC0415
        except ImportError:
            continue
        for o in built:
            try:
                kubernetes_validate.validate(o, K8S_VERSION, strict=True)
            except kubernetes_validate.ValidationError as e:
                fail(rel(k), f"kustomize output, {o.get('kind')}/{o.get('metadata', {}).get('name')}: {e.message} at {'.'.join(map(str, e.path))}")
            except Exception as e:  # noqa: BLE001
                fail(rel(k), f"kustomize output, {o.get('kind')}: {e}")


# --- 3. Compose ------------------------------------------------------------------

SAMPLE_ENV = {"POSTGRES_PASSWORD": "sample"}


def interpolate(text: str, env: dict) -> str:
    """Compose variable interpolation: $$, ${V}, ${V:-d}, ${V-d}, ${V:?e}, ${V?e}."""

    def rep(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name, op, arg = m.group(1), m.group(2) or "", m.group(3) or ""
        v = env.get(name)
        if op == ":-":
            return v if v else arg
        if op == "-":
            return v if v is not None else arg
        if op in (":?", "?"):
            if not v:
                raise ValueError(f"required variable {name}: {arg}")
            return v
        return v or ""

    return re.sub(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}", rep, text)


def check_compose() -> None:
    where = rel(COMPOSE)
    if not COMPOSE.exists():
        fail(where, "missing")
        return
    raw = COMPOSE.read_text()
    # A required variable must stop `docker compose` when unset.
    try:
        interpolate(raw, {})
        fail(where, "POSTGRES_PASSWORD is not required (${POSTGRES_PASSWORD:?...})")
    except ValueError:
        pass
    text = interpolate(raw, SAMPLE_ENV)
    d = yaml.safe_load(text)
    services = d.get("services") or {}
    top_secrets = d.get("secrets") or {}
    top_volumes = d.get("volumes") or {}
    for name, s in services.items():
        sw = f"{where} service {name}"
        if "image" not in s and "build" not in s:
            fail(sw, "neither image nor build")
        if not s.get("healthcheck"):
            fail(sw, "no healthcheck")
        deps = s.get("depends_on") or {}
        if isinstance(deps, list):
            deps = {k: {"condition": "service_started"} for k in deps}
        for dep, cond in deps.items():
            if dep not in services:
                fail(sw, f"depends_on {dep}: no such service")
            elif (cond or {}).get("condition") == "service_healthy" and not services[dep].get("healthcheck"):
                fail(sw, f"depends_on {dep} service_healthy, but {dep} has no healthcheck")
        for sec in s.get("secrets") or []:
            sname = sec if isinstance(sec, str) else sec.get("source")
            if sname not in top_secrets:
                fail(sw, f"secret {sname} is not declared at the top level")
        for v in s.get("volumes") or []:
            src = v.split(":", 1)[0] if isinstance(v, str) else v.get("source")
            if src and not src.startswith((".", "/", "~")) and src not in top_volumes:
                fail(sw, f"named volume {src} is not declared at the top level")
        env = s.get("environment") or {}
        names = env.keys() if isinstance(env, dict) else [e.split("=", 1)[0] for e in env]
        for n in names:
            check_env_name(sw, n)
        hc = s.get("healthcheck") or {}
        test = [str(p) for p in hc.get("test") or []]
        for part in test:
            m = re.search(r"https?://[^/]+(/\S*)", part)
            if m:
                check_probe_path(f"{sw} healthcheck", m.group(1))
        if name == "trame" and test and not any("trame" in p for p in test[1:2]):
            fail(sw, f"the healthcheck does not run `trame probe` ({test[1:2]}): the image has no other HTTP client")
    trame = services.get("trame") or {}
    for dep in ("postgres", "redis"):
        if ((trame.get("depends_on") or {}).get(dep) or {}).get("condition") != "service_healthy":
            fail(where, f"trame does not wait for {dep} to be healthy")
    if DRAIN is not None and parse_duration(trame.get("stop_grace_period", "10s")) <= DRAIN:
        fail(where, f"trame's stop_grace_period is not above the {DRAIN} s drain")
    if trame.get("read_only") is not True:
        fail(where, "trame's root filesystem is not read-only")
    for name, sec in top_secrets.items():
        f = sec.get("file")
        if f and not f.startswith("./secrets/"):
            fail(where, f"secret {name} outside ./secrets/ (ignored by ops/compose/.gitignore)")
    ok(f"Compose structure: {len(services)} services (dependencies, health checks, secrets, volumes, settings)")
    try:
        from compose_spec import PyCompose  # noqa: PLC0415
    except ImportError:
        skip("Compose specification", "compose-spec is not installed")
        return
    try:
        PyCompose.from_yaml(text)
        ok("Compose specification (compose-spec parser)")
    except ValueError as e:
        fail(where, f"Compose specification: {e}")


# --- 4. Containerfile --------------------------------------------------------------


def containerfile_instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def check_containerfile() -> None:
    where = rel(CONTAINERFILE)
    if not CONTAINERFILE.exists():
        fail(where, "missing")
        return
    ins = containerfile_instructions(CONTAINERFILE.read_text())
    froms = [a for i, a in ins if i == "FROM"]
    if not froms or not froms[0].startswith("rust:1-bookworm"):
        fail(where, f"the build stage is not rust:1-bookworm ({froms[:1]})")
    if not froms or froms[-1].split()[0] != "debian:bookworm-slim":
        fail(where, f"the runtime stage is not debian:bookworm-slim ({froms[-1:]})")
    final = ins[max(i for i, (w, _) in enumerate(ins) if w == "FROM"):]
    users = [a for i, a in final if i == "USER"]
    if not users or users[-1].split(":")[0] in ("0", "root"):
        fail(where, "the runtime stage does not end as a non-root USER")
    hc = [a for i, a in final if i == "HEALTHCHECK"]
    if not hc:
        fail(where, "no HEALTHCHECK")
    else:
        m = re.search(r"https?://[^/\"]+(/[^\"\s]*)", hc[-1])
        # `trame probe` without --url asks /_trame/ready on listen's port.
        probe = re.search(r'CMD \["(?:[^"]*/)?trame",\s*"probe"', hc[-1])
        if m:
            check_probe_path(f"{where} HEALTHCHECK", m.group(1))
        elif probe:
            check_probe_path(f"{where} HEALTHCHECK", "/_trame/ready")
        else:
            fail(where, "HEALTHCHECK requests no URL")
        tool = re.search(r'CMD \["([^"]+)"', hc[-1])
        runs = " ".join(a for i, a in final if i in ("RUN", "COPY"))
        if tool and tool.group(1) not in runs:
            fail(where, f"HEALTHCHECK uses {tool.group(1)}, which the runtime stage does not install")
    entry = [a for i, a in final if i == "ENTRYPOINT"]
    cmd = [a for i, a in final if i == "CMD"]
    if not entry or "trame" not in entry[-1] or not cmd or "serve" not in cmd[-1]:
        fail(where, "ENTRYPOINT/CMD do not run `trame serve`")
    for i, a in final:
        if i == "ENV":
            for n in re.findall(r"(TRAME_[A-Z_]+)=", a):
                check_env_name(where, n)
    ignore = CONTAINERFILE.with_name(CONTAINERFILE.name + ".dockerignore")
    if not ignore.exists():
        fail(rel(ignore), "missing: the build context would include target/")
    else:
        lines = [line.strip() for line in ignore.read_text().splitlines() if line.strip() and not line.startswith("#")]
        if not ({"target", "target/", "**/target/", "**/target"} & set(lines) or (lines and lines[0] == "*" and "!target/" not in lines)):
            fail(rel(ignore), "does not exclude target/")
        # Every directory the workspace needs must be let through.
        needed = {"Cargo.toml", "Cargo.lock", "themes/"}
        root_toml = (ROOT / "Cargo.toml").read_text() if (ROOT / "Cargo.toml").exists() else ""
        m = re.search(r"members\s*=\s*\[(.*?)\]", root_toml, re.S)
        for member in re.findall(r'"([^"]+)"', m.group(1)) if m else []:
            needed.add(member.split("/")[0] + "/")
        if lines and lines[0] == "*":
            missing = sorted(n for n in needed if f"!{n}" not in lines)
            if missing:
                fail(rel(ignore), f"the build needs {missing}, which the ignore file leaves out")
    ok(f"Containerfile structure: {len(froms)} stages, non-root user, HEALTHCHECK, entrypoint, build context filter")


# --- 5. alert rules and dashboard --------------------------------------------------


def referenced_metrics(expr: str) -> set[str]:
    return set(re.findall(r"\b(trame_[a-z0-9_]+)", expr))


def check_metric_names(where: str, expr: str) -> set[str]:
    used = referenced_metrics(expr)
    if METRICS is not None:
        for n in sorted(used - METRICS):
            fail(where, f"{n} is not a metric of idp/app/src/telemetry.rs ({', '.join(sorted(METRICS))})")
    return used


def check_alerts() -> set[str]:
    path = OBSERVABILITY / "alerts.yml"
    doc = load_all(path)[0]
    used: set[str] = set()
    names = set()
    for g in doc["groups"]:
        for r in g["rules"]:
            where = f"{rel(path)}: {r.get('alert', '?')}"
            for k in ("alert", "expr", "for"):
                if k not in r:
                    fail(where, f"no {k}")
            if r.get("alert") in names:
                fail(where, "alert name used twice")
            names.add(r.get("alert"))
            if r.get("labels", {}).get("severity") not in ("critical", "warning", "info"):
                fail(where, "labels.severity is not critical, warning or info")
            if not r.get("annotations", {}).get("summary"):
                fail(where, "no annotations.summary")
            used |= check_metric_names(where, r.get("expr", ""))
    # The alerts the operator guide promises.
    for wanted in ("TrameNodeNotReady", "TrameHighErrorRate", "TrameSlowRequests", "TrameStoreErrors", "TrameSignInFailureSpike"):
        if wanted not in names:
            fail(rel(path), f"no alert {wanted}")
    ok(f"{rel(path)}: {len(names)} alerts, metric names exist in the exporter")
    return used


def check_dashboard() -> set[str]:
    import json

    path = OBSERVABILITY / "dashboard.json"
    try:
        dash = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        fail(rel(path), f"JSON: {e}")
        return set()
    used: set[str] = set()
    ids = set()
    for panel in dash.get("panels", []):
        where = f"{rel(path)}: panel {panel.get('title', '?')!r}"
        if panel.get("id") in ids:
            fail(where, f"panel id {panel.get('id')} used twice")
        ids.add(panel.get("id"))
        if not {"x", "y", "w", "h"} <= set(panel.get("gridPos", {})):
            fail(where, "gridPos lacks x, y, w or h")
        targets = panel.get("targets", [])
        if not targets:
            fail(where, "no query")
        for t in targets:
            used |= check_metric_names(where, t.get("expr", ""))
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        used |= check_metric_names(f"{rel(path)}: variable {v.get('name')}", q.get("query", "") if isinstance(q, dict) else str(q or ""))
    ok(f"{rel(path)}: JSON parses, {len(ids)} panels, metric names exist in the exporter")
    return used


def check_metrics_wiring(objs: list[tuple[Path, dict]]) -> None:
    """The metrics port is the same in the ConfigMap, the pod's named port
    and its scrape annotation; compose publishes the port it sets; and the
    Service, which is public, does not carry it."""
    env = {}
    for _, o in objs:
        if o.get("kind") == "ConfigMap":
            env.update(o.get("data", {}))
    listen = env.get("TRAME_METRICS_LISTEN")
    if not listen:
        fail("kubernetes/configmap.yaml", "TRAME_METRICS_LISTEN is not set")
        return
    port = int(listen.rsplit(":", 1)[1])
    for p, o in objs:
        if o.get("kind") == "Deployment":
            tpl = o["spec"]["template"]
            ann = tpl.get("metadata", {}).get("annotations", {})
            if ann.get("prometheus.io/port") != str(port) or ann.get("prometheus.io/path") != "/metrics":
                fail(rel(p), f"prometheus.io/port and /path annotations must be {port} and /metrics")
            ports = {pp.get("name"): pp.get("containerPort") for c in tpl["spec"]["containers"] for pp in c.get("ports", [])}
            if ports.get("metrics") != port:
                fail(rel(p), f"no container port named metrics on {port}")
        if o.get("kind") == "Service":
            for sp in o["spec"].get("ports", []):
                if sp.get("targetPort") in ("metrics", port):
                    fail(rel(p), "the Service exposes the metrics port")
    compose = load_all(COMPOSE)[0]["services"]["trame"]
    c_listen = compose.get("environment", {}).get("TRAME_METRICS_LISTEN", "")
    c_port = c_listen.rsplit(":", 1)[-1]
    if not any(str(pp).endswith(f":{c_port}") and str(pp).startswith("127.0.0.1:") for pp in compose.get("ports", [])):
        fail(rel(COMPOSE), f"metrics port {c_port} is not published on 127.0.0.1")
    ok("metrics port: ConfigMap, named container port, scrape annotations, not in the Service; compose publishes it on loopback")


def check_observability(objs: list[tuple[Path, dict]]) -> None:
    if METRICS is None:
        skip("metric names cross-check", "no metric names found in idp/app/src/telemetry.rs")
    used = check_alerts() | check_dashboard()
    if METRICS is not None:
        # Every family is on the dashboard or in a rule: a new metric comes
        # with a way to look at it.
        families = {n for n in METRICS if not re.search(r"_(bucket|sum|count)$", n) or n[: n.rfind("_")] not in METRICS}
        seen = {n if n in families else n[: n.rfind("_")] for n in used}
        for n in sorted(families - seen):
            fail("ops/observability", f"{n} is exported but on no panel and in no rule")
    check_metrics_wiring(objs)


# --- 6. systemd unit settings ------------------------------------------------------


def check_systemd_env() -> None:
    for unit in sorted((OPS / "systemd").glob("*.service")):
        for n in re.findall(r"^Environment=(TRAME_[A-Z_]+)=", unit.read_text(), re.M):
            check_env_name(rel(unit), n)
        m = re.search(r"^TimeoutStopSec=(\d+)", unit.read_text(), re.M)
        if DRAIN is not None and m and int(m.group(1)) <= DRAIN:
            fail(rel(unit), f"TimeoutStopSec={m.group(1)} is not above the {DRAIN} s drain")
    ok("systemd unit settings (TRAME_* names, TimeoutStopSec above the drain)")


def main() -> int:
    if SETTINGS is None:
        skip("settings cross-check", "idp/settings/src/lib.rs not found or KEYS not recognised")
    if DRAIN is None:
        skip("drain cross-check", "DRAIN not found in idp/server/src/serve.rs")
    if not ROUTES:
        skip("route cross-check", "no /_trame routes found in idp/web/src/lib.rs")
    docs = check_yaml_syntax()
    objs = k8s_objects(docs)
    for check, args in (
        (check_k8s_structure, (objs,)),
        (check_k8s_schemas, (objs,)),
        (check_kustomizations, ()),
        (check_compose, ()),
        (check_containerfile, ()),
        (check_systemd_env, ()),
        (check_observability, (objs,)),
    ):
        # A malformed file can break a check's assumptions: that is a failure
        # of the file, reported, and the other checks still run.
        try:
            check(*args)
        except Exception as e:  # noqa: BLE001
            fail(check.__name__, f"stopped on malformed input: {type(e).__name__}: {e}")
    print(f"validate.py: {passes} passed, {len(failures)} failed, {len(skips)} skipped")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

// Turns run.sh's raw results into report.md (printed on stdout).
//   node report.mjs header.json results.jsonl [limits.json]
import { existsSync, readFileSync } from 'node:fs';

const [headerFile, resultsFile, limitsFile] = process.argv.slice(2);
const h = JSON.parse(readFileSync(headerFile, 'utf8'));
const rows = readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const limits = limitsFile && existsSync(limitsFile) ? JSON.parse(readFileSync(limitsFile, 'utf8')) : null;

const f = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(d));
const rps = (r) => (r ? (r.ops_per_s ?? r.req_per_s) : null);
const pc = (x) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(0)} %`);
// Operations per second of server CPU time (user + system of its process).
const perCpuS = (r) => (r && r.cpu_s_per_1k ? 1000 / r.cpu_s_per_1k : null);
// Operations per server CPU-second as a share of a single-core limit (%).
const pctOfLimit = (r, lim) => (lim && perCpuS(r) ? (100 * perCpuS(r)) / lim : null);
// Why a wrk row's throughput does not measure the server (null: it does):
// the server's CPUs were not saturated (the generator or something else
// was the limit), or other processes took a share of them (a shared
// machine). Rows from before these were recorded are not judged.
const validity = (r) => {
  if (!r || r.server_cpus_busy === undefined) return null;
  const why = [];
  if (r.server_cpus_busy < 0.9) why.push(`server CPUs only ${pc(r.server_cpus_busy)} busy`);
  if (r.server_cpus_other > 0.05) why.push(`other processes took ${pc(r.server_cpus_other)} of them`);
  if (r.generator_share > 0.9) why.push(`generator at ${pc(r.generator_share)} of its CPUs`);
  return why.length ? `**no**: ${why.join(', ')}` : null;
};
const find = (server, mode, scenario) => rows.find((r) => r.server === server && r.mode === mode && r.scenario === scenario);

// The unavoidable work of one request of each scenario, as a single-core
// rate (ops/bench/limits): what the endpoint could at best reach on one core.
// Signatures at the faster of josekit's rate and Trame's own (trame-jose
// signs ES256 with ring): the limit is the work, done the fastest way known.
const signRate = limits && Math.max(limits.es256_sign_per_s, limits.jose_sign_per_s ?? 0);
const verifyRate = limits && Math.max(limits.es256_verify_per_s, limits.jose_verify_cached_per_s ?? 0);
const unavoidable = limits && {
  discovery: [null, 'none (a cached JSON document)'],
  jwks: [null, 'none (a cached JSON document)'],
  client_credentials: [signRate, '1 ES256 signature'],
  userinfo: [verifyRate, '1 ES256 verification'],
  introspection: [verifyRate, '1 ES256 verification'],
  refresh_rotation: [1 / (1 / signRate + 1 / signRate), '2 ES256 signatures (access + ID token)'],
  authcode_password: [
    1 / (1 / limits.argon2id_per_s + 2 / signRate + 1 / verifyRate),
    'argon2id + 2 ES256 signatures + 1 verification',
  ],
  // The passkey's signature is checked by webauthn_rp with the p256 crate,
  // not OpenSSL: its own rate (limits from before it was measured: none).
  authcode_passkey: [
    limits.p256_assertion_verify_per_s
      ? 1 / (1 / limits.p256_assertion_verify_per_s + 2 / signRate + 1 / verifyRate)
      : null,
    '1 P-256 assertion check (p256 crate) + 2 ES256 signatures + 1 verification',
  ],
};

const SCENARIOS = ['discovery', 'jwks', 'client_credentials', 'userinfo', 'introspection', 'refresh_rotation', 'authcode_password', 'authcode_passkey'];
const LABEL = {
  discovery: 'discovery',
  jwks: 'JWKS',
  client_credentials: 'client_credentials',
  userinfo: 'userinfo',
  introspection: 'introspection',
  refresh_rotation: 'refresh-token rotation',
  authcode_password: 'code flow, password (flows/s)',
  authcode_passkey: 'code flow, passkey (flows/s)',
};

const out = [];
const p = (s = '') => out.push(s);
p('# Trame benchmark report');
p();
p(`Written by \`ops/bench/run.sh${h.quick ? ' --quick' : ''}\` on ${h.date}. Numbers from one run on one machine: compare within this file, not across machines.`);
p();
p(`- Machine: ${h.cpu}, ${h.nproc} CPUs (\`nproc\`), ${h.mem_mb} MB; load average at start: **${h.loadavg}** (other builds may have been running: the machine was shared).`);
p(`- Servers pinned to CPUs \`${h.server_cpus}\`, load generators to \`${h.client_cpus}\` (${h.pinned ? 'taskset' : 'not pinned: no taskset'}).`);
p(`- ${h.trame} (\`${h.binary}\`); oidc-provider ${h.oidc_provider} on Node ${h.node}; ${h.wrk}.`);
p(`- Each scenario: ${h.duration_s} s measured after a 1 s warm-up, ${h.connections} connections (wrk: ${h.threads} threads; Node driver: ${h.connections} concurrent loops).`);
p('- CPU s/1k: server CPU time (user + system, /proc/<pid>/stat) per 1,000 operations; in PostgreSQL mode the database and Redis are not counted. Peak RSS: highest VmRSS sampled every 50 ms during the scenario.');
p('- Code-flow rows count complete flows (authorize → sign-in → code → token → userinfo, 5–7 HTTP requests each); latency is that of a whole flow.');
if (h.note) p(`- **Note:** ${h.note}`);
p();

for (const mode of ['embedded', 'postgres']) {
  if (!rows.some((r) => r.server === 'trame' && r.mode === mode && !r.scenario.startsWith('_'))) continue;
  const start = find('trame', mode, '_start');
  const end = find('trame', mode, '_end');
  p(`## Trame ${mode === 'embedded' ? 'embedded (SQLite, in-process store)' : 'PostgreSQL + Redis'} vs oidc-provider (in-memory adapter)`);
  p();
  p('| Scenario | Trame ops/s | p50 ms | p99 ms | CPU s/1k | peak RSS MB | errors | oidc-provider ops/s | p50 ms | p99 ms | CPU s/1k | peak RSS MB | Trame / peer (ops/s) | Trame CPU / peer CPU per op | single-core limit ops/s (work) | Trame % of limit per core |');
  p('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of SCENARIOS) {
    const t = find('trame', mode, s);
    const o = find('oidc-provider', 'memory', s);
    if (!t && !o) continue;
    const ratio = t && o ? rps(t) / rps(o) : null;
    // Rows the peer cannot run (passkeys): a dash, not a missing value.
    const peerless = s === 'authcode_passkey';
    const cpuRatio = t && o && o.cpu_s_per_1k ? t.cpu_s_per_1k / o.cpu_s_per_1k : null;
    const [lim, work] = unavoidable?.[s] ?? [null, '–'];
    // per CPU-second of the server: how many ops one core would do, vs the limit
    const pct = pctOfLimit(t, lim);
    p(
      `| ${LABEL[s]} | ${f(rps(t))} | ${f(t?.p50_ms, 2)} | ${f(t?.p99_ms, 2)} | ${f(t?.cpu_s_per_1k, 3)} | ${f(t?.peak_rss_mb, 1)} | ${t ? t.errors : '–'} | ` +
        (peerless ? '— | — | — | — | — | — | — | ' : `${o ? f(rps(o)) : 'n/a'} | ${f(o?.p50_ms, 2)} | ${f(o?.p99_ms, 2)} | ${f(o?.cpu_s_per_1k, 3)} | ${f(o?.peak_rss_mb, 1)} | ${ratio ? f(ratio, 2) + '×' : '–'} | ${cpuRatio ? f(cpuRatio, 2) : '–'} | `) +
        `${lim ? f(lim) : '–'} (${work}) | ${pct ? f(pct, 1) + ' %' : '–'} |`,
    );
  }
  p();
  if (find('trame', mode, 'authcode_passkey')) {
    p('Code flow, passkey: Trame only (oidc-provider has no passkeys, hence the dashes). Each flow signs in with a software ES256 passkey (usernameless, user verified, no counter), enrolled beforehand through `/signup`; see the README for what this row measures and what it does not.');
    p();
  }
  // Whether the server was the limit (README, "Is the server the limit?").
  const checked = SCENARIOS.flatMap((sc) => [find('trame', mode, sc), find('oidc-provider', 'memory', sc)]).filter((r) => r && r.server_cpus_busy !== undefined);
  if (checked.length) {
    p('Is the server the limit? Shares of the servers\' CPUs during each wrk scenario (the server process, interrupts and softirq: loopback network work no process is charged for, other processes), and the generator\'s CPU time as a share of its CPUs:');
    p();
    p('| Scenario | Server | server CPUs busy | server process | irq + softirq | other processes | generator (wrk) | valid |');
    p('|---|---|---|---|---|---|---|---|');
    for (const r of checked) {
      p(`| ${LABEL[r.scenario]} | ${r.server} | ${pc(r.server_cpus_busy)} | ${pc(r.server_cpus_process)} | ${pc(r.server_cpus_irq)} | ${pc(Math.max(0, r.server_cpus_other))} | ${pc(r.generator_share)} | ${validity(r) ?? 'yes'} |`);
    }
    p();
  }
  const ps = find('oidc-provider', 'memory', '_start');
  const pe = find('oidc-provider', 'memory', '_end');
  p(`Start-up to ready: Trame ${f(start?.startup_ms)} ms (fresh database, migrations included), oidc-provider ${f(ps?.startup_ms)} ms. Idle RSS after start: Trame ${f(start?.idle_rss_mb)} MB, oidc-provider ${f(ps?.idle_rss_mb)} MB. High-water RSS (VmHWM) at the end: Trame ${f(end?.hwm_mb)} MB, oidc-provider ${f(pe?.hwm_mb)} MB.`);
  p();
}

if (limits) {
  p('## Physical limits (one core, `ops/bench/limits`)');
  p();
  p('| Work | ops/s on one core |');
  p('|---|---|');
  p(`| ES256 signature (josekit, signer built once) | ${f(limits.es256_sign_per_s)} |`);
  p(`| ES256 verification (josekit), verifier built once | ${f(limits.es256_verify_per_s)} |`);
  p(`| ES256 verification (josekit), verifier built from the JWK each time | ${f(limits.es256_verify_from_jwk_per_s)} |`);
  // Through trame-jose, as Trame signs and verifies (absent from limits
  // measured before it).
  if (limits.jose_verify_cached_per_s) {
    p(`| ES256 signature through \`trame_jose::SigningKey\` (as Trame signs tokens) | ${f(limits.jose_sign_per_s)} |`);
    p(`| ES256 verification through \`trame_jose::Jwks\`, set kept (as Trame verifies: verifier built once per key) | ${f(limits.jose_verify_cached_per_s)} |`);
    p(`| ES256 verification through \`trame_jose::Jwks\`, a new set per token (a verifier built each time) | ${f(limits.jose_verify_new_set_per_s)} |`);
  }
  p(`| argon2id, m=19456 KiB, t=2, p=1 | ${f(limits.argon2id_per_s, 1)} |`);
  p(`| P-256 passkey assertion check with the \`p256\` crate, as webauthn_rp (key decompressed, DER signature) | ${f(limits.p256_assertion_verify_per_s)} |`);
  p();
  p('"Trame % of limit per core" divides the operations Trame does per CPU-second (1000 / CPU s/1k) by the single-core rate of the unavoidable work of that operation: 100 % would mean the endpoint does nothing but that work.');
  p();
}

const scaleRows = rows.filter((r) => r.mode.startsWith('scale:'));
if (scaleRows.length) {
  const labels = [...new Set(scaleRows.map((r) => r.mode.slice(6)))];
  p(`## Scale (PostgreSQL + Redis, ${h.scale_connections} connections)`);
  p();
  p('| Set-up | ready after start ms | idle RSS MB | discovery p50 / p99 ms | client_credentials p50 / p99 ms | sign-in flow p50 / p99 ms | discovery ops/s | client_credentials ops/s | sign-in flows/s |');
  p('|---|---|---|---|---|---|---|---|---|');
  for (const l of labels) {
    const st = rows.find((r) => r.mode === 'scale' && r.scenario === '_start' && r.label === l);
    const d = find('trame', `scale:${l}`, 'discovery');
    const c = find('trame', `scale:${l}`, 'client_credentials');
    const s = find('trame', `scale:${l}`, 'signin');
    p(`| ${l} | ${f(st?.startup_ms)} | ${f(st?.idle_rss_mb)} | ${f(d?.p50_ms, 2)} / ${f(d?.p99_ms, 2)} | ${f(c?.p50_ms, 2)} / ${f(c?.p99_ms, 2)} | ${f(s?.p50_ms, 1)} / ${f(s?.p99_ms, 1)} | ${f(rps(d))} | ${f(rps(c))} | ${f(rps(s), 1)} |`);
  }
  p();
  const base = labels[0];
  const users = labels[1];
  const tenants = labels[2];
  const r = (a, b, s, k = 'p50_ms') => {
    const x = find('trame', `scale:${a}`, s);
    const y = find('trame', `scale:${b}`, s);
    return x && y ? y[k] / x[k] : null;
  };
  const st = (l) => rows.find((x) => x.mode === 'scale' && x.scenario === '_start' && x.label === l);
  if (users) p(`- Users (${base} → ${users}): sign-in p50 ×${f(r(base, users, 'signin'), 2)}, p99 ×${f(r(base, users, 'signin', 'p99_ms'), 2)}.`);
  if (tenants) {
    p(`- Tenants (${users} → ${tenants}): discovery p50 ×${f(r(users, tenants, 'discovery'), 2)}, client_credentials p50 ×${f(r(users, tenants, 'client_credentials'), 2)}, sign-in p50 ×${f(r(users, tenants, 'signin'), 2)}; start-up ×${f(st(tenants)?.startup_ms / st(users)?.startup_ms, 2)}.`);
    p(`- Everything (${base} → ${tenants}): discovery p50 ×${f(r(base, tenants, 'discovery'), 2)}, client_credentials p50 ×${f(r(base, tenants, 'client_credentials'), 2)}, sign-in p50 ×${f(r(base, tenants, 'signin'), 2)}.`);
  }
  const su = rows.find((x) => x.scenario === '_setup' && x.label === 'users');
  const stn = rows.find((x) => x.scenario === '_setup' && x.label === 'tenants');
  const one = rows.find((x) => x.scenario === '_setup' && x.label === 'one tenant add');
  p(`- Set-up time: users by SQL ${f(su?.ms / 1000, 1)} s; tenants ${f(stn?.ms / 1000, 1)} s (one \`trame tenant add\`: ${f(one?.ms)} ms, the others by SQL, driver/seed-tenants.mjs).`);
  p();
}

// The admin API (issue 17), measured in each scale step with the same
// connections: user search in the default tenant (which holds every
// user) and the operator's tenant list.
const ADMIN = {
  admin_search_few: 'user search, username prefix matching 11 accounts (`q=bench12…`, limit 20)',
  admin_search_all: 'user search, family-name prefix matching every account (`q=user`, limit 20)',
  admin_tenants: 'tenant list, first page (limit 100, with user and client counts)',
  admin_tenants_deep: 'tenant list, a page from the middle (`cursor` after `t5`, limit 100)',
};
const ADMIN_GOAL_MS = 50;
const adminRows = scaleRows.filter((r) => ADMIN[r.scenario]);
if (adminRows.length) {
  const labels = [...new Set(scaleRows.map((r) => r.mode.slice(6)))];
  p(`## Admin API at scale (PostgreSQL + Redis, ${h.scale_connections} connections, issue 17)`);
  p();
  p('Each row: wrk on one URL with a bearer token of a client_credentials client (scope `trame:admin`, made operator), fetched just before it; "items" is the size of the page one request returned. Latency includes the token check (one ES256 verification). PostgreSQL is not pinned: its work on the server CPUs counts among the other processes.');
  p();
  p(`| Set-up | Request | items | ops/s | p50 ms | p99 ms | errors | other processes on the server CPUs | p99 < ${ADMIN_GOAL_MS} ms |`);
  p('|---|---|---|---|---|---|---|---|---|');
  for (const l of labels) {
    for (const s of Object.keys(ADMIN)) {
      const r = find('trame', `scale:${l}`, s);
      if (!r) continue;
      p(`| ${l} | ${ADMIN[s]} | ${f(r.items)} | ${f(rps(r))} | ${f(r.p50_ms, 2)} | ${f(r.p99_ms, 2)} | ${r.errors} | ${pc(Math.max(0, r.server_cpus_other ?? 0))} | ${r.p99_ms < ADMIN_GOAL_MS ? 'yes' : '**no**'} |`);
    }
  }
  p();
}

// --- goals -------------------------------------------------------------------
// Issue 21: throughput against the peer per scenario (servers pinned to the
// same single core), the sign-in flows against their single-core limits,
// memory at rest, and (scale phase) start-up; issue 17's admin API rows.
p('## Goals (issues 21 and 17)');
p();
p('| Goal | Measured | Reached |');
p('|---|---|---|');
const yes = (b) => (b === null || b === undefined ? 'not measured' : b ? 'yes' : '**no**');
const RATIO_GOALS = { discovery: 5, jwks: 5, client_credentials: 5, userinfo: 2, introspection: 2, refresh_rotation: 2 };
const LIMIT_GOALS = { authcode_passkey: 50, authcode_password: 90 };
for (const mode of ['embedded', 'postgres']) {
  for (const [s, goal] of Object.entries(RATIO_GOALS)) {
    const t = find('trame', mode, s);
    const o = find('oidc-provider', 'memory', s);
    if (!t || !o) continue;
    // Judged on requests/s, same generator and settings for both, and only
    // when both rows measured a saturated server on CPUs of its own; the
    // ratio of requests per server CPU-second is shown beside it, not
    // judged (README, "How the throughput goals are judged").
    const ratio = rps(t) / rps(o);
    const cpuRatio = perCpuS(t) && perCpuS(o) ? perCpuS(t) / perCpuS(o) : null;
    const invalid = [t, o].map((r) => validity(r) && `${r.server}: ${validity(r).replace('**no**: ', '')}`).filter(Boolean);
    const verdict = invalid.length ? `not judged (${invalid.join('; ')}); ${ratio >= goal ? 'yes' : 'no'} as measured` : yes(ratio >= goal);
    p(`| ${LABEL[s]} ≥ ${goal}× oidc-provider (${mode}) | ${f(ratio, 2)}× req/s (per server CPU-second: ${f(cpuRatio, 2)}×) | ${verdict} |`);
  }
  for (const [s, goal] of Object.entries(LIMIT_GOALS)) {
    const t = find('trame', mode, s);
    const [lim] = unavoidable?.[s] ?? [null];
    const pct = pctOfLimit(t, lim);
    if (t) p(`| ${LABEL[s]} ≥ ${goal} % of its single-core limit (${mode}) | ${pct === null ? 'limits not measured' : f(pct, 1) + ' %'} | ${yes(pct === null ? null : pct >= goal)} |`);
  }
  const st = find('trame', mode, '_start');
  if (st) p(`| idle RSS ≤ 22 MB (${mode}) | ${f(st.idle_rss_mb)} MB | ${yes(st.idle_rss_mb <= 22)} |`);
  const peaks = rows.filter((r) => r.server === 'trame' && r.mode === mode && r.peak_rss_mb).map((r) => r.peak_rss_mb);
  const end = find('trame', mode, '_end');
  if (peaks.length) {
    const peak = Math.max(...peaks, end?.hwm_mb ?? 0);
    p(`| peak RSS < 100 MB (${mode}) | ${f(peak, 1)} MB | ${yes(peak < 100)} |`);
  }
}
if (scaleRows.length) {
  const labels = [...new Set(scaleRows.map((r) => r.mode.slice(6)))];
  const last = labels[labels.length - 1];
  const first = labels[0];
  const st = rows.find((x) => x.mode === 'scale' && x.scenario === '_start' && x.label === last);
  if (st) p(`| ready ≤ 100 ms (${last}) | ${f(st.startup_ms)} ms | ${yes(st.startup_ms <= 100)} |`);
  for (const s of ['discovery', 'client_credentials', 'signin']) {
    const a = find('trame', `scale:${first}`, s);
    const b = find('trame', `scale:${last}`, s);
    if (a && b) {
      const inc = 100 * (b.p50_ms / a.p50_ms - 1);
      p(`| ${s} latency +<20 % (${first} → ${last}), p50 | ${inc >= 0 ? '+' : ''}${f(inc, 1)} % | ${yes(inc < 20)} |`);
    }
  }
}
if (adminRows.length) {
  // Issue 17: user search with the most users, the tenant list with the
  // most tenants, p99 under 50 ms (both in the last scale step).
  const labels = [...new Set(scaleRows.map((r) => r.mode.slice(6)))];
  const last = labels[labels.length - 1];
  for (const s of Object.keys(ADMIN)) {
    const r = find('trame', `scale:${last}`, s);
    if (r) p(`| ${ADMIN[s].replace(/ \(.*$/, '')} p99 < ${ADMIN_GOAL_MS} ms (${last}) | p50 ${f(r.p50_ms, 2)} ms, p99 ${f(r.p99_ms, 2)} ms | ${yes(r.p99_ms < ADMIN_GOAL_MS)} |`);
  }
}
if (h.tenants < 10000 || h.users_big < 1000000) p(`\nScale run with ${h.tenants} tenants and ${h.users_big} users (not the goal's 10,000 and 1,000,000): a --quick or reduced run.`);
p();
console.log(out.join('\n'));

// Load driver for the stateful scenarios that wrk cannot chain, and the
// one-off token fetch the wrk scenarios need. The same code drives Trame
// and oidc-provider: only the issuer URL differs.
//
//   node driver/load.mjs tokens   --issuer URL                 # prints {access_token, refresh_token}
//   node driver/load.mjs refresh  --issuer URL -c 32 -d 10     # refresh-token rotation
//   node driver/load.mjs authcode --issuer URL -c 32 -d 10     # authorize → sign-in → code → token → userinfo
//   node driver/load.mjs passkey  --issuer URL -c 32 -d 10     # same, signing in with a passkey (Trame only)
//
// Load runs print one JSON line: ops (refreshes or complete flows),
// requests (HTTP requests), errors, ops_per_s, req_per_s, p50_ms, p99_ms
// (latency of one op). Each of the `-c` loops runs ops back to back.
//
// Environment: BENCH_SECRET (secret of bench-web), BENCH_PASSWORD,
// BENCH_USERS (accounts bench0..N-1, one per loop, round robin),
// BENCH_REDIRECT_URI, BENCH_PASSKEYS (file of software passkeys, passkey mode).
import * as crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { CookieJar, parseForms, hiddenFields, isSignInForm, isConsentForm } from '../../../conformance/tests/lib/browser.mjs';
import { loadAll } from './authenticator.mjs';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    issuer: { type: 'string' },
    connections: { type: 'string', short: 'c', default: '32' },
    duration: { type: 'string', short: 'd', default: '10' },
    warmup: { type: 'string', default: '1' },
  },
});
const mode = positionals[0];
const ISSUER = opt.issuer;
if (!mode || !ISSUER) {
  console.error('usage: load.mjs <tokens|refresh|authcode|passkey> --issuer URL [-c N] [-d SECONDS]');
  process.exit(2);
}
const CONNS = Number(opt.connections);
const SECRET = process.env.BENCH_SECRET ?? 'bench-secret-bench-secret-bench-secret';
const PASSWORD = process.env.BENCH_PASSWORD ?? 'bench password';
const USERS = Number(process.env.BENCH_USERS ?? 64);
const REDIRECT_URI = process.env.BENCH_REDIRECT_URI ?? 'http://localhost:9/cb';
const CLIENT_ID = 'bench-web';
const BASIC = 'Basic ' + Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');

// localhost must reach the IPv4 listener; the Host header stays the issuer's.
const dispatcher = new Agent({ connections: CONNS * 2, pipelining: 1, keepAliveTimeout: 30_000, connect: { lookup: (h, o, cb) => cb(null, o?.all ? [{ address: '127.0.0.1', family: 4 }] : '127.0.0.1', 4) } });
let requests = 0;

// `body`: form fields (urlencoded); `json`: a JSON body, as the pages' script
// sends. A jar stands for one browser: its cookies, and its client address
// when it has one (`forwardedFor`, passkey flow).
async function http(url, { method = 'GET', headers = {}, body, json, jar } = {}) {
  const h = { ...headers };
  const cookie = jar?.header(url);
  if (cookie) h.cookie = cookie;
  if (jar?.forwardedFor) h['x-forwarded-for'] = jar.forwardedFor;
  let payload;
  if (json !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (body !== undefined) {
    h['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(body).toString();
  }
  requests++;
  const res = await request(url, { method, headers: h, body: payload, dispatcher });
  const text = await res.body.text();
  const setCookie = res.headers['set-cookie'];
  if (jar && setCookie) jar.store(url, Array.isArray(setCookie) ? setCookie : [setCookie]);
  const loc = res.headers.location;
  return { status: res.statusCode, url, headers: res.headers, body: text, location: loc ? new URL(loc, url).href : null };
}

function sameEndpoint(a, b) {
  const x = new URL(a);
  const y = new URL(b);
  return x.origin === y.origin && x.pathname === y.pathname;
}

function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

let discovery;
async function meta() {
  if (!discovery) {
    const r = await http(`${ISSUER}/.well-known/openid-configuration`);
    if (r.status !== 200) throw new Error(`discovery: ${r.status}`);
    discovery = JSON.parse(r.body);
  }
  return discovery;
}

function authUrl(m, extra = {}) {
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const u = new URL(m.authorization_endpoint);
  const p = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email offline_access',
    state: b64url(crypto.randomBytes(12)),
    nonce: b64url(crypto.randomBytes(12)),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(p)) u.searchParams.set(k, v);
  return { url: u.href, verifier };
}

/** Follows redirects and forms until the redirect URI; returns the code. */
async function browse(jar, startUrl, signIn) {
  let res = await http(startUrl, { jar, headers: { accept: 'text/html' } });
  for (let step = 0; step < 16; step++) {
    if (res.status >= 300 && res.status < 400 && res.location) {
      if (sameEndpoint(res.location, REDIRECT_URI)) {
        const params = new URL(res.location).searchParams;
        if (!params.get('code')) throw new Error(`no code: ${res.location}`);
        return params.get('code');
      }
      res = await http(res.location, { jar, headers: { accept: 'text/html' } });
      continue;
    }
    if (res.status !== 200 && res.status !== 401) throw new Error(`unexpected ${res.status} at ${res.url}: ${res.body.slice(0, 300)}`);
    const forms = parseForms(res.body, res.url);
    const consent = forms.find(isConsentForm);
    if (consent) {
      res = await http(consent.action, { method: 'POST', jar, body: [...hiddenFields(consent), ['decision', 'approve']] });
      continue;
    }
    res = await signIn(jar, res, forms);
  }
  throw new Error('flow did not reach the redirect URI');
}

async function passwordSignIn(user) {
  return async (jar, res, forms) => {
    const form = forms.find(isSignInForm);
    if (!form) throw new Error(`no sign-in form at ${res.url}: ${res.body.slice(0, 300)}`);
    return http(form.action, { method: 'POST', jar, body: [...hiddenFields(form), ['username', user], ['password', PASSWORD]] });
  };
}

async function exchange(code, verifier) {
  const m = await meta();
  const r = await http(m.token_endpoint, {
    method: 'POST',
    headers: { authorization: BASIC, accept: 'application/json' },
    body: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
  });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${r.body}`);
  return JSON.parse(r.body);
}

async function userinfo(accessToken) {
  const m = await meta();
  const r = await http(m.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  if (r.status !== 200) throw new Error(`userinfo: ${r.status} ${r.body}`);
  return JSON.parse(r.body);
}

let userCounter = 0;
function nextUser() {
  return `bench${userCounter++ % USERS}`;
}

/** Another browser's address, in the benchmarking range 198.18.0.0/15 (RFC 2544). */
function browserAddress() {
  return `198.${18 + ((Math.random() * 2) | 0)}.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`;
}

async function passwordFlow() {
  const m = await meta();
  const { url, verifier } = authUrl(m);
  // Trame allows 600 pending sign-ins per client address per 15 minutes
  // (throttle::INTERACTIONS_PER_ADDRESS): each flow is another browser.
  const jar = new CookieJar();
  jar.forwardedFor = browserAddress();
  const code = await browse(jar, url, await passwordSignIn(nextUser()));
  const tokens = await exchange(code, verifier);
  await userinfo(tokens.access_token);
  return tokens;
}

// --- passkey flow -----------------------------------------------------------
// What the sign-in page's script does when the passkey button is pressed
// with no username typed (themes/default/static/passkey.js): POST the
// interaction id and CSRF token to the form's data-options endpoint, let
// the authenticator answer (usernameless: no allow list, the passkey
// returns its user handle), POST the answer to data-finish, go to the
// `location` it gives (/login/continue, then the code as in the password
// flow). One enrolled passkey per loop (driver/enroll.mjs).
let passkeys;
async function passkeyFlow(slot) {
  const m = await meta();
  const { url, verifier } = authUrl(m);
  const auth = passkeys[slot % passkeys.length];
  const origin = new URL(ISSUER).origin;
  const jar = new CookieJar();
  // Trame allows 600 ceremony starts per client address per 15 minutes
  // (throttle::CEREMONIES_PER_ADDRESS); a whole run makes more. Each flow
  // stands for another browser, so it gets another address in the
  // benchmarking range 198.18.0.0/15 (RFC 2544), sent as X-Forwarded-For
  // (run.sh sets trusted_proxies = 127.0.0.1).
  jar.forwardedFor = browserAddress();
  const signIn = async (_, res, forms) => {
    const form = forms.find((f) => f.attrs.id === 'login');
    if (!form) throw new Error(`no sign-in form at ${res.url}: ${res.body.slice(0, 300)}`);
    const { interaction, csrf } = Object.fromEntries(hiddenFields(form));
    const endpoint = (attr) => new URL(form.attrs[attr], res.url).href;
    const headers = { accept: 'application/json', origin };
    const opts = await http(endpoint('data-options'), { method: 'POST', jar, headers, json: { interaction, csrf } });
    if (opts.status !== 200) throw new Error(`passkey/options: ${opts.status} ${opts.body.slice(0, 300)}`);
    const credential = auth.sign(JSON.parse(opts.body), origin);
    const fin = await http(endpoint('data-finish'), { method: 'POST', jar, headers, json: { interaction, csrf, credential } });
    if (fin.status !== 200) throw new Error(`passkey/finish: ${fin.status} ${fin.body.slice(0, 300)}`);
    const next = JSON.parse(fin.body).location;
    if (!next) throw new Error(`passkey/finish gave no location: ${fin.body.slice(0, 300)}`);
    return http(new URL(next, res.url).href, { jar, headers: { accept: 'text/html' } });
  };
  const code = await browse(jar, url, signIn);
  const tokens = await exchange(code, verifier);
  await userinfo(tokens.access_token);
  return tokens;
}

// --- load loop --------------------------------------------------------------
async function run(opFactory) {
  const warmupMs = Number(opt.warmup) * 1000;
  const durationMs = Number(opt.duration) * 1000;
  const ops = await Promise.all(Array.from({ length: CONNS }, (_, i) => opFactory(i)));
  const latencies = [];
  let errors = 0;
  let lastError;
  let measuring = false;
  let done = false;
  const loops = ops.map(async (op) => {
    while (!done) {
      const t0 = performance.now();
      try {
        await op();
        if (measuring) latencies.push(performance.now() - t0);
      } catch (err) {
        if (measuring) errors++;
        lastError = err;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  });
  await new Promise((r) => setTimeout(r, warmupMs));
  // The measured window starts here; run.sh reads the server's CPU time at
  // the "start" line and at the end.
  const requestsBefore = requests;
  measuring = true;
  process.stderr.write('start\n');
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const req = requests - requestsBefore;
  process.stderr.write('stop\n');
  done = true;
  await Promise.allSettled(loops);
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : null);
  const out = {
    ops: latencies.length,
    requests: req,
    errors,
    duration_s: elapsed,
    ops_per_s: latencies.length / elapsed,
    req_per_s: req / elapsed,
    p50_ms: pct(50),
    p99_ms: pct(99),
  };
  if (lastError) out.last_error = String(lastError.message ?? lastError).slice(0, 300);
  console.log(JSON.stringify(out));
}

switch (mode) {
  case 'tokens': {
    const t = await passwordFlow();
    console.log(JSON.stringify({ access_token: t.access_token, refresh_token: t.refresh_token }));
    break;
  }
  case 'authcode':
    await run(async () => passwordFlow);
    break;
  case 'passkey': {
    if (!process.env.BENCH_PASSKEYS) throw new Error('passkey mode needs BENCH_PASSKEYS (a file written by driver/enroll.mjs)');
    passkeys = loadAll(process.env.BENCH_PASSKEYS);
    await run(async (i) => () => passkeyFlow(i));
    break;
  }
  case 'refresh':
    await run(async () => {
      let rt = (await passwordFlow()).refresh_token;
      if (!rt) throw new Error('no refresh token issued');
      const m = await meta();
      return async () => {
        const r = await http(m.token_endpoint, {
          method: 'POST',
          headers: { authorization: BASIC, accept: 'application/json' },
          body: { grant_type: 'refresh_token', refresh_token: rt },
        });
        if (r.status !== 200) throw new Error(`refresh: ${r.status} ${r.body}`);
        rt = JSON.parse(r.body).refresh_token;
      };
    });
    break;
  default:
    console.error(`unknown mode ${mode}`);
    process.exit(2);
}
await dispatcher.close();

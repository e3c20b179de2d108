// Enrols users with software passkeys for the passkey scenario, through
// Trame's real sign-up, as the sign-up page and its script do it
// (themes/default/static/passkey.js): GET /signup (browser-binding cookie,
// CSRF token, endpoints in the form's data-* attributes), POST
// /signup/options, the authenticator creates the passkey, POST
// /signup/finish (the account, its passkey and its recovery codes).
//
//   node driver/enroll.mjs --issuer URL -n N [--out FILE] [--prefix NAME]
//
// Writes the N passkeys to FILE (default $BENCH_PASSKEYS; stdout when
// neither is given), only once all N are enrolled. Usernames are
// <prefix><i>; the default prefix has a random part so that enrolling twice
// against one server does not collide. Needs a tenant with open sign-up
// (run.sh: `trame tenant set default --registration open`).
import * as crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { CookieJar, parseForms, hiddenFields } from '../../../conformance/tests/lib/browser.mjs';
import { Authenticator, saveAll } from './authenticator.mjs';

const { values: opt } = parseArgs({
  options: {
    issuer: { type: 'string' },
    n: { type: 'string', short: 'n', default: '32' },
    out: { type: 'string', default: process.env.BENCH_PASSKEYS },
    prefix: { type: 'string', default: `pk-${crypto.randomBytes(3).toString('hex')}-` },
  },
});
if (!opt.issuer) {
  console.error('usage: enroll.mjs --issuer URL -n N [--out FILE] [--prefix NAME]');
  process.exit(2);
}
const ORIGIN = new URL(opt.issuer).origin;
// As in load.mjs: localhost must reach Trame's IPv4 listener.
const dispatcher = new Agent({ connect: { lookup: (h, o, cb) => cb(null, o?.all ? [{ address: '127.0.0.1', family: 4 }] : '127.0.0.1', 4) } });

/** One request with the cookies of `jar`; JSON bodies as the page's fetch sends them. */
async function http(jar, url, { json } = {}) {
  const headers = { accept: json ? 'application/json' : 'text/html' };
  if (jar.forwardedFor) headers['x-forwarded-for'] = jar.forwardedFor;
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  if (json) Object.assign(headers, { 'content-type': 'application/json', origin: ORIGIN });
  const res = await request(url, { method: json ? 'POST' : 'GET', headers, body: json && JSON.stringify(json), dispatcher });
  const body = await res.body.text();
  const sc = res.headers['set-cookie'];
  if (sc) jar.store(url, Array.isArray(sc) ? sc : [sc]);
  if (res.statusCode !== 200) throw new Error(`${new URL(url).pathname}: ${res.statusCode} ${body.slice(0, 300)}`);
  return body;
}

async function enrol(username) {
  const jar = new CookieJar(); // one browser per account
  // Trame lets one address check 20 usernames at sign-up per window
  // (throttle::USERNAME_CHECKS_PER_ADDRESS), fewer than the loops: each
  // account is another browser, with another address in the benchmarking
  // range 198.18.0.0/15 (RFC 2544), sent as X-Forwarded-For (run.sh sets
  // trusted_proxies = 127.0.0.1), as load.mjs does for its flows.
  jar.forwardedFor = `198.${18 + ((Math.random() * 2) | 0)}.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`;
  const pageUrl = `${opt.issuer}/signup`;
  const page = await http(jar, pageUrl);
  const form = parseForms(page, pageUrl).find((f) => f.attrs.id === 'signup');
  if (!form) throw new Error(`no sign-up form at ${pageUrl}: ${page.slice(0, 300)}`);
  const fields = Object.fromEntries(hiddenFields(form));
  const url = (attr) => new URL(form.attrs[attr], pageUrl).href;
  const options = JSON.parse(
    await http(jar, url('data-options'), { json: { csrf: fields.csrf, username, email: '', interaction: fields.interaction, invitation: fields.invitation } }),
  );
  const { authenticator, credential } = Authenticator.register(options, ORIGIN);
  const done = JSON.parse(await http(jar, url('data-finish'), { json: { csrf: fields.csrf, credential } }));
  if (!done.recovery_codes?.length || !done.location) throw new Error(`sign-up did not complete: ${JSON.stringify(done).slice(0, 300)}`);
  return authenticator;
}

const n = Number(opt.n);
const passkeys = [];
for (let i = 0; i < n; i++) passkeys.push(await enrol(`${opt.prefix}${i}`));
if (opt.out) saveAll(opt.out, passkeys);
else console.log(JSON.stringify(passkeys));
await dispatcher.close();
console.error(`enrolled ${n} passkeys (${opt.prefix}0..${n - 1})${opt.out ? ` into ${opt.out}` : ''}`);

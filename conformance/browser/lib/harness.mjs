// Real-browser harness of the end-to-end suite: headless Chromium (the
// distribution's /usr/bin/chromium, never a downloaded one) driven by
// playwright-core.
//
// Every browser context made by `openContext` records, for the assertions of
// the tests: every request the browser sends, console errors, uncaught page
// errors and Content-Security-Policy violations (a `securitypolicyviolation`
// listener installed in every document by an init script). Requests to the
// relying party (the redirect URIs on port 9, where nothing listens) are
// intercepted and answered with a small page; what arrived there is kept.
// `shot` saves a PNG of the current page under
// conformance/report/screenshots/<mode>/ and, for Trame's own pages, runs
// axe-core on it (WCAG 2.1 A and AA rules), at the context's size and
// again at a phone's width; `assertClean` fails on any violation. Passkeys: `addAuthenticator`
// attaches a DevTools virtual authenticator to a page, and contexts opened
// with `webauthn: true` record the pages' navigator.credentials calls.

import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { execFile, spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { promisify } from 'node:util';
import { ISSUER } from '../../tests/lib/setup.mjs';

export const ISSUER_ORIGIN = new URL(ISSUER).origin;
export const MODE = process.env.TRAME_E2E_MODE || 'local';
export const SCREENSHOT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'report', 'screenshots', MODE);
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** axe-core's browser bundle, evaluated through DevTools (not a script tag: the pages' CSP allows none). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Where run.sh collects the origin of every request Chromium sends, for its
 * check that no page loaded anything from a host the tests did not set up
 * (lib/network-check.mjs). Origins only, each once per process.
 */
const NETWORK_LOG = process.env.TRAME_E2E_NETWORK_LOG;
const loggedOrigins = new Set();
function logOrigin(url) {
  if (!NETWORK_LOG) return;
  let origin;
  try {
    const u = new URL(url);
    origin = u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:' ? `${u.protocol}//${u.host}` : u.protocol;
  } catch {
    origin = 'unparsable';
  }
  if (loggedOrigins.has(origin)) return;
  loggedOrigins.add(origin);
  appendFileSync(NETWORK_LOG, `${origin}\n`);
}

/**
 * A phone's screen (CSS px), where every page state shot is checked again
 * (`Recorder.mobilePass`); contexts opened with MOBILE_CONTEXT are phones
 * from the start (isMobile, hasTouch).
 */
export const MOBILE_VIEWPORT = Object.freeze({ width: 375, height: 740 });
export const MOBILE_CONTEXT = Object.freeze({ viewport: MOBILE_VIEWPORT, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

/** The smallest touch target, in CSS px (WCAG 2.5.5). */
export const MIN_TARGET = 44;

/**
 * The page's links, buttons and disclosures smaller than MIN_TARGET in
 * either direction, every <details> opened first (their forms count too).
 * Elements not rendered (hidden, in a hidden section) are left out.
 */
export async function smallTargets(page) {
  return page.evaluate((min) => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    const small = [];
    for (const e of document.querySelectorAll('a[href], button, summary, input[type=submit]')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < min - 0.5 || r.height < min - 0.5) {
        small.push({ tag: e.tagName.toLowerCase(), text: e.textContent.trim().slice(0, 60), width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 });
      }
    }
    for (const d of document.querySelectorAll('details')) d.open = false;
    return small;
  }, MIN_TARGET);
}

/**
 * How far the page is wider than the screen (0 when it fits), on either
 * side: the document's scroll width misses what sticks out at the start of
 * a right-to-left page, so the boxes drawn are measured too. What a
 * scrolling or clipping container holds (a wide table in its own scroller)
 * does not widen the page.
 */
export async function overflow(page) {
  return (await widest(page)).wider;
}

/** `overflow`, with the element that sticks out furthest (a CSS path). */
export async function widest(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const contained = (node) => {
      for (let a = node.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    const name = (el) => {
      const parts = [];
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        parts.unshift(e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (e.classList.length ? `.${[...e.classList].join('.')}` : ''));
      }
      return parts.join(' > ');
    };
    let start = 0;
    let end = width;
    let culprit = null;
    const measure = (r, el) => {
      if (r.width === 0 || r.height === 0) return;
      if (r.left + window.scrollX < start) [start, culprit] = [r.left + window.scrollX, el];
      if (r.right + window.scrollX > end) [end, culprit] = [r.right + window.scrollX, el];
    };
    for (const el of document.body.querySelectorAll('*')) {
      if (!contained(el)) measure(el.getBoundingClientRect(), el);
    }
    // Text that runs out of its element's box (a word too long to wrap).
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let t = texts.nextNode(); t; t = texts.nextNode()) {
      if (!t.textContent.trim() || !t.parentElement || t.parentElement.closest('script, style') || contained(t)) continue;
      range.selectNodeContents(t);
      measure(range.getBoundingClientRect(), t.parentElement);
    }
    const wider = Math.max(document.documentElement.scrollWidth - width, Math.ceil(end - start - width));
    return { wider, culprit: culprit ? name(culprit) : null };
  });
}

/** Per-step timeout for Playwright actions and navigations. */
export const STEP_TIMEOUT = 10_000;
/** Timeout of every browser test. */
export const TEST_TIMEOUT = 30_000;

/**
 * The relying party: every redirect URI registered by run.sh is on port 9,
 * where nothing listens (and which Chromium refuses as an unsafe port).
 * Requests there are intercepted with the DevTools Fetch domain, not with
 * Playwright's page.route: Playwright does not route the hops of a redirect
 * chain (microsoft/playwright#33882), and the authorization response is a
 * 303 redirect to the client. Fetch pauses every request, redirect hops
 * included, before the port check or any connection.
 */
const RP_PATTERNS = ['http://localhost:9/*', 'http://127.0.0.1:9/*'];

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: TEST_TIMEOUT });
}

function rpPage(title) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title></head>` +
    `<body><h1>${title}</h1><p>Relying party stand-in (intercepted by the test).</p></body></html>`;
}

/**
 * A fresh browser context (own cookies) with recording. `name` prefixes the
 * screenshots (one test = one name). `webauthn: true` also records the
 * pages' WebAuthn calls (see `recordWebAuthn`). `networkLog: false` keeps
 * its requests out of the after-suite network check (the harness
 * self-check, whose third party is answered inside the browser).
 */
export async function openContext(browser, name, { locale = 'fr-FR', webauthn = false, networkLog = true, ...options } = {}) {
  const context = await browser.newContext({ locale, ...options });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const s = new Recorder(context, name);
  if (webauthn) await recordWebAuthn(s);
  await context.exposeBinding('__trameCspViolation', ({ page }, v) => {
    s.violations.push({ page: page?.url(), ...v });
  });
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        window.__trameCspViolation({
          documentURI: e.documentURI,
          blockedURI: e.blockedURI,
          violatedDirective: e.violatedDirective,
          effectiveDirective: e.effectiveDirective,
          sample: e.sample,
        });
      },
      true,
    );
  });
  context.on('request', (r) => {
    s.requests.push({ url: r.url(), method: r.method(), type: r.resourceType() });
    if (networkLog) logOrigin(r.url());
  });
  context.on('response', (r) => s.responses.push({ url: r.url(), status: r.status(), headers: r.headers() }));
  context.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const entry = { type: m.type(), text: m.text(), url: m.page()?.url(), source: m.location()?.url };
    // Chromium notes on the console when a page itself (not one of its
    // subresources) has an HTTP error status; the error pages (400) and the
    // failed sign-in (401) have one on purpose. Kept apart; a failing
    // subresource still counts as a console error.
    if (/^Failed to load resource: the server responded with a status of \d+/.test(entry.text) && entry.source && entry.source === entry.url) {
      s.statusNotes.push(entry);
      return;
    }
    s.console.push(entry);
  });
  context.on('page', (p) => p.on('pageerror', (e) => s.pageErrors.push(String(e))));
  return s;
}

/**
 * A promise of the first entry of `list` from index `from` on that matches
 * `pred`, now or once it is pushed (whoever pushes calls every function of
 * `waiters`); rejected with `message()` after `timeout` ms.
 */
function nextEntry(list, waiters, from, pred, timeout, message) {
  const promise = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message())), timeout);
    timer.unref();
    const check = () => {
      const hit = list.slice(from).find(pred);
      if (hit) {
        clearTimeout(timer);
        resolve(hit);
        return true;
      }
      return false;
    };
    if (check()) return;
    const wait = () => {
      if (!check()) waiters.push(wait);
    };
    waiters.push(wait);
  });
  // Not awaited when the action before it fails: no unhandled rejection.
  promise.catch(() => {});
  return promise;
}

class Recorder {
  constructor(context, name) {
    this.context = context;
    this.name = name;
    this.requests = [];
    this.responses = [];
    this.console = [];
    /** Console notes about the HTTP status of a page itself. */
    this.statusNotes = [];
    this.pageErrors = [];
    this.violations = [];
    /** axe-core violations, per page state shot: [{ step, url, lang, violations }]. */
    this.accessibility = [];
    /** Requests that reached the relying party (intercepted). */
    this.rpHits = [];
    this.waiters = [];
    this.step = 0;
    /** Every screenshot saved. */
    this.shots = [];
    /**
     * The pages' calls to navigator.credentials.get / create (with
     * `webauthn: true`): { op, mediation, phase: 'start'|'ok'|'fail', error, page }.
     */
    this.webauthnCalls = [];
    this.webauthnWaiters = [];
    /** One DevTools session per page for the WebAuthn domain. */
    this.webauthnSessions = new WeakMap();
  }

  /** A new page whose requests to the relying party are answered by the test. */
  async newPage() {
    const page = await this.context.newPage();
    const cdp = await this.context.newCDPSession(page);
    cdp.on('Fetch.requestPaused', async (e) => {
      const hit = {
        url: e.request.url,
        method: e.request.method,
        postData: e.request.postData ?? (e.request.postDataEntries ?? []).map((x) => Buffer.from(x.bytes ?? '', 'base64').toString('utf8')).join(''),
        headers: Object.fromEntries(Object.entries(e.request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      };
      this.rpHits.push(hit);
      for (const w of this.waiters.splice(0)) w(hit);
      try {
        await cdp.send('Fetch.fulfillRequest', {
          requestId: e.requestId,
          responseCode: 200,
          responseHeaders: [{ name: 'content-type', value: 'text/html; charset=utf-8' }],
          body: Buffer.from(rpPage(`RP ${new URL(e.request.url).pathname}`)).toString('base64'),
        });
      } catch {
        // The page went away meanwhile.
      }
    });
    await cdp.send('Fetch.enable', { patterns: RP_PATTERNS.map((urlPattern) => ({ urlPattern, requestStage: 'Request' })) });
    return page;
  }

  /**
   * A promise of the next request to the relying party whose URL starts
   * with `prefix` (e.g. the redirect URI). Call it before the action that
   * triggers the request.
   */
  nextRpHit(prefix, timeout = STEP_TIMEOUT) {
    return nextEntry(this.rpHits, this.waiters, this.rpHits.length, (h) => h.url.startsWith(prefix), timeout, () => `no request to ${prefix} within ${timeout} ms; requests:\n${this.trace()}`);
  }

  /**
   * A promise of the first recorded WebAuthn call (from index `from` on)
   * matching `pred` (with `webauthn: true`).
   */
  nextWebAuthnCall(pred, { from = 0, timeout = STEP_TIMEOUT } = {}) {
    return nextEntry(this.webauthnCalls, this.webauthnWaiters, from, pred, timeout, () => `no matching WebAuthn call within ${timeout} ms; calls: ${JSON.stringify(this.webauthnCalls)}`);
  }

  /**
   * Adds a DevTools virtual authenticator to `page` (WebAuthn.enable on the
   * page's first call). It belongs to the page's tab: it survives
   * navigations and goes away with the page. Options override
   * PLATFORM_AUTHENTICATOR.
   */
  async addAuthenticator(page, options = {}) {
    let cdp = this.webauthnSessions.get(page);
    if (!cdp) {
      cdp = await this.context.newCDPSession(page);
      await cdp.send('WebAuthn.enable', { enableUI: false });
      this.webauthnSessions.set(page, cdp);
    }
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { ...PLATFORM_AUTHENTICATOR, ...options } });
    return new VirtualAuthenticator(cdp, authenticatorId);
  }

  /**
   * Removes the console entries matching `re` (expected errors, e.g. the
   * 400 answer to a refused passkey) and returns them; fails when none did.
   */
  expectConsole(re) {
    const matched = this.console.filter((c) => re.test(c.text));
    assert.ok(matched.length > 0, `${this.name}: expected a console entry matching ${re}; console: ${JSON.stringify(this.console)}`);
    this.console = this.console.filter((c) => !re.test(c.text));
    return matched;
  }

  /**
   * Saves a PNG of the page as <name>-<nn>-<step>.png and checks it with
   * axe-core; then the same page state at a phone's width
   * (<name>-<nn>-<step>-mobile.png, see `mobilePass`).
   */
  async shot(page, step) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    this.step += 1;
    const base = `${this.name}-${String(this.step).padStart(2, '0')}-${step}`;
    const file = path.join(SCREENSHOT_DIR, `${base}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: STEP_TIMEOUT });
    this.shots.push(file);
    await this.checkAccessibility(page, step);
    await this.mobilePass(page, step, base);
    return file;
  }

  /**
   * The page state of `shot` again at MOBILE_VIEWPORT: a screenshot and
   * axe-core (its findings named <step>@mobile). The same page, resized,
   * not a new one: the state the test reached (a script's message, a
   * form's errors) cannot be loaded again. Only the viewport changes:
   * touch emulation would need a DevTools session of its own, and one
   * detached from a page also switches off the page's virtual
   * authenticators (the phone-sized contexts of MOBILE_CONTEXT have touch).
   * Skipped for contexts already phone-sized (checked as they are) and for
   * pages not of Trame (the relying party's stand-in).
   */
  async mobilePass(page, step, base) {
    const viewport = page.viewportSize();
    if (!viewport || viewport.width <= MOBILE_VIEWPORT.width) return;
    if (new URL(page.url()).origin !== ISSUER_ORIGIN) return;
    try {
      await page.setViewportSize(MOBILE_VIEWPORT);
      const file = path.join(SCREENSHOT_DIR, `${base}-mobile.png`);
      await page.screenshot({ path: file, fullPage: true, timeout: STEP_TIMEOUT });
      this.shots.push(file);
      await this.checkAccessibility(page, `${step}@mobile`);
    } finally {
      await page.setViewportSize(viewport);
    }
  }

  /**
   * Runs axe-core (WCAG 2.1 A and AA) on a page of Trame's own (the relying
   * party's stand-in pages are not ours), measures that it fits its window,
   * and records what it finds.
   */
  async checkAccessibility(page, step) {
    if (new URL(page.url()).origin !== ISSUER_ORIGIN) return;
    await page.evaluate(AXE_SOURCE);
    const found = await page.evaluate(async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return { lang: document.documentElement.lang, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })) };
    }, WCAG21_AA);
    // WCAG 1.4.10 (Reflow), which axe-core does not check: nothing
    // sticks out of the window at either side, whatever the direction.
    const { wider, culprit } = await widest(page);
    if (wider > 1) found.violations.push({ id: 'reflow', impact: 'serious', help: `the page is ${wider} px wider than the window`, nodes: culprit ? [culprit] : [] });
    this.checked = (this.checked ?? 0) + 1;
    if (found.violations.length > 0) this.accessibility.push({ step, url: page.url(), ...found });
  }

  /** The response recorded for an exact URL (the last one). */
  responseFor(url) {
    return this.responses.filter((r) => r.url === url).at(-1);
  }

  trace() {
    return this.requests.map((r) => `${r.method} ${r.url} (${r.type})`).join('\n');
  }

  /**
   * Asserts that nothing went wrong in the browser: no CSP violation, no
   * console error or warning, no uncaught page error, and that every
   * request went to the issuer's origin or to one of `rpUrls` (the relying
   * party's redirect URIs, compared without query).
   */
  assertClean(rpUrls = []) {
    assert.deepEqual(this.violations, [], `CSP violations in ${this.name}`);
    assert.deepEqual(this.accessibility, [], `axe-core (WCAG 2.1 AA) violations in ${this.name}: ${JSON.stringify(this.accessibility, null, 2)}`);
    assert.deepEqual(this.console, [], `console errors/warnings in ${this.name}`);
    assert.deepEqual(this.pageErrors, [], `uncaught page errors in ${this.name}`);
    assert.ok(this.requests.length > 0, 'the browser made requests');
    for (const r of this.requests) {
      const u = new URL(r.url);
      if (u.origin === ISSUER_ORIGIN) continue;
      const bare = u.origin + u.pathname;
      assert.ok(rpUrls.includes(bare), `${this.name}: request to a third party: ${r.method} ${r.url} (${r.type})\nall requests:\n${this.trace()}`);
      assert.equal(r.type, 'document', `${this.name}: only the redirect (a navigation) may go to the client, got ${r.type} ${r.url}`);
    }
  }

  async close() {
    await this.context.close();
  }
}

/**
 * Options of the DevTools virtual authenticators: a platform authenticator
 * (CTAP2, internal transport) with resident keys and user verification
 * that succeeds, and user presence simulated (no touch needed).
 */
export const PLATFORM_AUTHENTICATOR = Object.freeze({
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
});

/**
 * Records every navigator.credentials.get / create call of the context's
 * pages (wrapped by an init script) in `s.webauthnCalls`: when it starts
 * (with its `mediation`), and how it ends (`ok`, or `fail` with the
 * DOMException name). The calls still go to the browser unchanged.
 */
async function recordWebAuthn(s) {
  await s.context.exposeBinding('__trameWebAuthn', ({ page }, call) => {
    s.webauthnCalls.push({ page: page?.url(), ...call });
    for (const w of s.webauthnWaiters.splice(0)) w();
  });
  await s.context.addInitScript(() => {
    const creds = navigator.credentials;
    if (!creds) return;
    for (const op of ['get', 'create']) {
      const original = creds[op].bind(creds);
      // Binary ids as base64url, so tests can compare them with the server's.
      const b64url = (buf) => {
        const bytes = ArrayBuffer.isView(buf) ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : new Uint8Array(buf);
        let bin = '';
        for (const b of bytes) bin += String.fromCharCode(b);
        return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      };
      creds[op] = (options) => {
        const mediation = options?.mediation ?? null;
        const pk = options?.publicKey;
        const allow = pk?.allowCredentials ? pk.allowCredentials.map((c) => b64url(c.id)) : null;
        window.__trameWebAuthn({ op, mediation, phase: 'start', allow, userVerification: pk?.userVerification ?? null });
        return original(options).then(
          (cred) => {
            window.__trameWebAuthn({ op, mediation, phase: 'ok' });
            return cred;
          },
          (err) => {
            window.__trameWebAuthn({ op, mediation, phase: 'fail', error: err?.name ?? String(err) });
            throw err;
          },
        );
      };
    }
  });
}

/** A DevTools virtual authenticator (see Recorder.addAuthenticator). */
export class VirtualAuthenticator {
  constructor(cdp, id) {
    this.cdp = cdp;
    this.id = id;
  }

  /** Its credentials (WebAuthn.Credential: credentialId, rpId, userHandle, privateKey, signCount, ...). */
  async credentials() {
    return (await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.id })).credentials;
  }

  /** Puts a credential (e.g. from another authenticator's `credentials()`) on this one. */
  async addCredential(credential) {
    await this.cdp.send('WebAuthn.addCredential', { authenticatorId: this.id, credential });
  }

  /** Whether the authenticator answers without waiting for a touch. */
  async setPresence(enabled) {
    await this.cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: this.id, enabled });
  }

  /** Whether user verification (PIN, biometrics) succeeds. */
  async setUserVerified(isUserVerified) {
    await this.cdp.send('WebAuthn.setUserVerified', { authenticatorId: this.id, isUserVerified });
  }

  async remove() {
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.id });
  }
}

/** Fills the sign-in form by accessible names and submits it (French or English page). */
export async function signInWith(page, { username, password, lang = 'fr' }) {
  const L = LABELS[lang];
  const user = page.getByLabel(L.username, { exact: true });
  const pass = page.getByLabel(L.password, { exact: true });
  assert.equal(await user.getAttribute('autocomplete'), 'username webauthn', 'username input autocomplete');
  assert.equal(await pass.getAttribute('autocomplete'), 'current-password', 'password input autocomplete');
  assert.equal(await pass.getAttribute('type'), 'password');
  await user.fill(username);
  await pass.fill(password);
  await page.getByRole('button', { name: L.signIn, exact: true }).click();
}

/** The languages Trame ships, as discovery lists them (trame_app::i18n::BUILT_IN). */
export const LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'pt', 'ar'];

/**
 * A language's messages (single-line ones: what the tests look for), read
 * from themes/default/locales/<lang>/main.ftl: the pages must say what
 * the translation files say.
 */
export function messages(lang) {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'themes', 'default', 'locales', lang, 'main.ftl');
  const out = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([a-z0-9_-]+) = (.*\S)\s*$/.exec(line);
    if (m && !m[2].includes('{')) out[m[1]] = m[2];
  }
  return out;
}

/** The texts the tests look for, by name, in every shipped language. */
export const LABELS = Object.fromEntries(
  LANGUAGES.map((lang) => {
    const m = messages(lang);
    const pick = (id) => {
      if (!(id in m)) throw new Error(`${lang}: no single-line message ${id}`);
      return m[id];
    };
    return [
      lang,
      {
        title: pick('sign-in-title'), username: pick('username-label'), password: pick('password-label'), signIn: pick('sign-in-button'),
        approve: pick('consent-approve'), deny: pick('consent-deny'), consentTitle: pick('consent-title'), logoutTitle: pick('logout-title'),
        logoutButton: pick('logout-button'), signedOut: pick('signed-out-title'), failed: pick('sign-in-failed'),
        passkeySignIn: pick('passkey-sign-in-button'), passkeyFailed: pick('passkey-failed'), signupLink: pick('signup-link'),
        signupTitle: pick('signup-title'), signupButton: pick('signup-button'), email: pick('email-label'), codesContinue: pick('recovery-codes-saved'),
        errorTitle: pick('error-title'), unknownClient: pick('error-unknown-client'),
        transparency: pick('footer-transparency'), transparencyTitle: pick('transparency-title'),
      },
    ];
  }),
);

/** Waits until the sign-in page is shown (its password field) and returns its URL. */
export async function waitForSignIn(page, lang = 'fr') {
  await page.getByLabel(LABELS[lang].password, { exact: true }).waitFor();
  return page.url();
}

/** Approves the consent page (button name=decision value=approve). */
export async function approveConsent(page, lang = 'fr') {
  const approve = page.getByRole('button', { name: LABELS[lang].approve, exact: true });
  await approve.waitFor();
  assert.equal(await approve.getAttribute('name'), 'decision');
  assert.equal(await approve.getAttribute('value'), 'approve');
  await approve.click();
}

/**
 * Runs the `trame` CLI (TRAME_E2E_BIN, set by conformance/run.sh) with the
 * running server's settings (the environment), `input` on its standard
 * input; resolves to what it printed.
 */
export async function trameCli(args, input) {
  assert.ok(process.env.TRAME_E2E_BIN, 'TRAME_E2E_BIN names the binary (conformance/run.sh)');
  const child = promisify(execFile)(process.env.TRAME_E2E_BIN, args, { env: process.env });
  if (input !== undefined) child.child.stdin.end(input);
  return (await child).stdout;
}

/* Helper servers a suite starts beside Trame (the CAS clients, an LDAP directory). */

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Waits until `port` accepts connections; fails early when `child` (named `what`) exits. */
export async function listening(port, what, child) {
  for (let i = 0; i < 100; i += 1) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${child.output}`);
    const up = await new Promise((resolve) => {
      const c = connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} is not listening on ${port}: ${child?.output ?? ''}`);
}

/** Starts a helper process, keeping what it prints for error messages. */
export function start(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  child.output = '';
  child.stdout.on('data', (d) => (child.output += d));
  child.stderr.on('data', (d) => (child.output += d));
  return child;
}

// Browser suite 3, 5 and 6: the server-rendered pages in Chromium — no CSP
// violation, no console error, no third-party request; framing refused;
// accessibility basics of the sign-in page.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { USER, CLIENTS, REDIRECT_URI, rp, newRequest, client } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, approveConsent, LABELS, TEST_TIMEOUT, ISSUER_ORIGIN, STEP_TIMEOUT } from './lib/harness.mjs';

const FR = LABELS.fr;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Asserts the security headers of the last response for `url`. */
function assertSecurityHeaders(s, url, what) {
  const res = s.responseFor(url);
  assert.ok(res, `${what}: response recorded for ${url}`);
  const csp = res.headers['content-security-policy'] ?? '';
  assert.match(csp, /default-src 'self'/, `${what}: CSP default-src 'self' (got ${csp})`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP frame-ancestors 'none' (got ${csp})`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: no unsafe-* in the CSP`);
  return res;
}

async function assertStylesheetApplied(page, s, what) {
  const css = s.responseFor(`${ISSUER_ORIGIN}/_trame/assets/trame.css`);
  assert.ok(css, `${what}: trame.css requested`);
  assert.ok(css.status === 200 || css.status === 304, `${what}: trame.css status ${css.status}`);
  const rules = await page.evaluate(() => [...document.styleSheets].reduce((n, sh) => n + sh.cssRules.length, 0));
  assert.ok(rules > 0, `${what}: the stylesheet is applied (${rules} rules)`);
}

test('browser harness self-check: a CSP violation, a console error and a third-party request are all caught', { timeout: TEST_TIMEOUT }, async () => {
  // Its third party is answered by the test inside the browser: not logged
  // for the after-suite network check.
  const s = await openContext(browser, 'self-check', { networkLog: false });
  try {
    await s.context.route('http://probe.test/**', (route) => {
      const u = new URL(route.request().url());
      if (u.pathname === '/pixel.png') return route.fulfill({ status: 204 });
      return route.fulfill({
        status: 200,
        contentType: 'text/html',
        headers: { 'content-security-policy': "default-src 'self'" },
        body: '<!doctype html><html lang="en"><head><link rel="icon" href="data:,"><title>probe</title></head><body><h1>probe</h1><script>document.title = "ran"</script><img src="/pixel.png" alt=""></body></html>',
      });
    });
    const page = await s.newPage();
    await page.goto('http://probe.test/');
    await page.waitForFunction(() => true);
    await waitUntil(() => s.violations.length > 0 && s.console.length > 0, 'the violation to be recorded');
    assert.equal(await page.title(), 'probe', 'the inline script was blocked');
    assert.ok(s.violations.some((v) => v.effectiveDirective === 'script-src-elem'), `inline script violation recorded: ${JSON.stringify(s.violations)}`);
    assert.throws(() => s.assertClean(), /CSP violations/);
    s.violations.length = 0;
    assert.throws(() => s.assertClean(), /console errors/);
    s.console.length = 0;
    assert.throws(() => s.assertClean(), /third party: GET http:\/\/probe\.test\//);
  } finally {
    await s.close();
  }
});

/** A throw-away HTTP server on 127.0.0.1; resolves to {port, close}. */
function serve(handler) {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        close: () => new Promise((r) => {
          server.close(r);
          server.closeAllConnections();
        }),
      });
    });
  });
}

async function waitUntil(cond, what, timeout = 5000) {
  const end = Date.now() + timeout;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('browser: sign-in, consent, logout confirmation, signed-out and error pages have no CSP violation, no console error, no third-party request', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'pages');
  try {
    const config = await rp('basic');
    const meta = config.serverMetadata();
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri, scope: 'openid profile' });
    const page = await s.newPage();

    // Sign-in page.
    await page.goto(req.url.href);
    const signInUrl = await waitForSignIn(page);
    await s.shot(page, 'sign-in');
    assertSecurityHeaders(s, signInUrl, 'sign-in page');
    await assertStylesheetApplied(page, s, 'sign-in page');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), FR.title);

    // Consent page.
    await signInWith(page, USER);
    await page.getByRole('heading', { level: 1, name: FR.consentTitle }).waitFor();
    await s.shot(page, 'consent');
    assertSecurityHeaders(s, page.url(), 'consent page');
    await assertStylesheetApplied(page, s, 'consent page');
    assert.equal(await page.getByRole('button', { name: FR.deny, exact: true }).getAttribute('value'), 'deny');
    const callback = s.nextRpHit(REDIRECT_URI);
    await approveConsent(page);
    const hit = await callback;
    assert.ok(new URL(hit.url).searchParams.get('code'), 'a code after consent');
    await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
    await s.shot(page, 'callback');

    // Logout confirmation page (signed in, no id_token_hint).
    await page.goto(meta.end_session_endpoint);
    await page.getByRole('heading', { level: 1, name: FR.logoutTitle }).waitFor();
    await s.shot(page, 'logout-confirmation');
    assertSecurityHeaders(s, meta.end_session_endpoint, 'logout confirmation page');
    await assertStylesheetApplied(page, s, 'logout confirmation page');
    await page.getByRole('button', { name: FR.logoutButton, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: FR.signedOut }).waitFor();
    await s.shot(page, 'signed-out');
    await assertStylesheetApplied(page, s, 'signed-out page');

    // Error page: an authorization request for an unknown client.
    const bad = new URL(meta.authorization_endpoint);
    bad.search = new URLSearchParams({ client_id: 'no-such-client', redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', state: client.randomState() }).toString();
    const res = await page.goto(bad.href);
    assert.equal(res.status(), 400, 'unknown client: 400 page');
    await page.getByRole('heading', { level: 1, name: 'Erreur' }).waitFor();
    assert.equal(await page.getByRole('alert').textContent(), 'Le service qui demande la connexion est inconnu.');
    await s.shot(page, 'error');
    assertSecurityHeaders(s, bad.href, 'error page');
    await assertStylesheetApplied(page, s, 'error page');

    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

test('browser: the sign-in page is not displayed in a frame of another origin', { timeout: TEST_TIMEOUT }, async () => {
  let framer;
  const s = await openContext(browser, 'framing');
  try {
    const config = await rp('basic');
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri });
    const page = await s.newPage();
    await page.goto(req.url.href);
    const signInUrl = await waitForSignIn(page);
    const headers = s.responseFor(signInUrl).headers;
    assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(headers['x-frame-options'], 'DENY');

    // An attacker's page on another origin framing the sign-in page, and a
    // control frame (a page with a password field and no frame protection)
    // that does load. They are served by a real local server (Chromium's
    // local network access checks refuse to frame a loopback page into an
    // intercepted, i.e. "public", page).
    framer = await serve((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (req.url === '/control') {
        res.end('<!doctype html><html lang="en"><head><link rel="icon" href="data:,"><title>control</title></head><body><label for="p">Mot de passe</label><input id="p" type="password"></body></html>');
      } else {
        res.end(
          `<!doctype html><html lang="en"><head><link rel="icon" href="data:,"><title>framer</title></head><body><h1>Framer</h1>` +
            `<iframe id="victim" title="victim" src="${signInUrl}" width="500" height="400"></iframe>` +
            `<iframe id="control" title="control" src="http://localhost:${framer.port}/control" width="300" height="100"></iframe></body></html>`,
        );
      }
    });
    await page.goto(`http://127.0.0.1:${framer.port}/`);
    await page.locator('#victim').waitFor();
    // The control frame shows its password field: the check below can fail.
    await page.frameLocator('#control').getByLabel('Mot de passe').waitFor();
    // Chromium reports the refusal on the console of the framing page.
    await waitUntil(() => s.console.some((m) => /frame-ancestors/.test(m.text)), 'the frame-ancestors refusal', STEP_TIMEOUT);
    await s.shot(page, 'framer');

    const victimRequests = s.requests.filter((r) => r.url === signInUrl);
    assert.equal(victimRequests.length, 2, 'the sign-in page was requested once at top level, once by the frame');
    const frame = await (await page.$('#victim')).contentFrame();
    assert.ok(frame, 'the iframe has a frame');
    assert.notEqual(frame.url(), signInUrl, `the frame did not commit the sign-in page (frame URL ${frame.url()})`);
    assert.equal(await frame.locator('input[type=password], form').count(), 0, 'no sign-in form inside the frame');
    assert.equal(await page.frameLocator('#victim').getByLabel(FR.password).count(), 0, 'no password field inside the frame');
    assert.deepEqual(s.violations, [], 'no CSP violation reported to the framing page itself');
  } finally {
    await framer?.close();
    await s.close();
  }
});

test('browser: sign-in page accessibility basics (labels, one h1, lang, announced and linked error)', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'a11y');
  try {
    const config = await rp('basic');
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri });
    const page = await s.newPage();
    await page.goto(req.url.href);
    await waitForSignIn(page);
    await s.shot(page, 'sign-in');

    const checkStructure = async (when) => {
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr', `${when}: <html lang>`);
      assert.equal(await page.locator('h1').count(), 1, `${when}: exactly one h1`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), FR.title);
      assert.ok((await page.title()).length > 0, `${when}: the page has a title`);
      const user = page.getByLabel(FR.username, { exact: true });
      const pass = page.getByLabel(FR.password, { exact: true });
      assert.equal(await user.count(), 1, `${when}: username found by its label`);
      assert.equal(await pass.count(), 1, `${when}: password found by its label`);
      assert.equal(await user.getAttribute('name'), 'username');
      assert.equal(await pass.getAttribute('name'), 'password');
      // Every visible form control has a label with text.
      const controls = await page.evaluate(() =>
        [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].map((e) => ({
          name: e.name,
          labels: [...e.labels].map((l) => l.textContent.trim()).filter(Boolean),
        })),
      );
      assert.equal(controls.length, 2, `${when}: two visible inputs`);
      for (const c of controls) assert.ok(c.labels.length >= 1, `${when}: input ${c.name} has a label`);
      assert.equal(await page.getByRole('button', { name: FR.signIn, exact: true }).count(), 1, `${when}: the submit button has an accessible name`);
      return { user, pass };
    };
    await checkStructure('first display');
    assert.equal(await page.getByRole('alert').count(), 0, 'no error before submitting');

    // Wrong password: the error is announced (role=alert) and describes the field.
    await signInWith(page, { username: USER.username, password: `${USER.password}-wrong` });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await s.shot(page, 'wrong-password');
    assert.equal((await alert.textContent()).trim(), FR.failed);
    const alertId = await alert.getAttribute('id');
    assert.ok(alertId, 'the error message has an id');
    const { user } = await checkStructure('after a wrong password');
    const describedBy = ((await user.getAttribute('aria-describedby')) ?? '').split(/\s+/);
    assert.ok(describedBy.includes(alertId), `the username input is described by the error (aria-describedby=${describedBy.join(' ')})`);
    assert.equal(await user.inputValue(), USER.username, 'the username is kept');
    assert.equal(await page.getByLabel(FR.password, { exact: true }).inputValue(), '', 'the password is not echoed back');
    assert.equal(await page.evaluate((id) => document.querySelectorAll(`#${CSS.escape(id)}`).length, alertId), 1, 'the error id is unique');

    s.assertClean([]);
  } finally {
    await s.close();
  }
});

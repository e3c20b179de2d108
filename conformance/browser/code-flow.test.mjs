// Browser suite 1 and 2: the authorization code flow in headless Chromium,
// with the response as a redirect (query) and as response_mode=form_post.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, USER, CLIENTS, REDIRECT_URI, rp, newRequest, client } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, approveConsent, TEST_TIMEOUT, ISSUER_ORIGIN } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('browser: code flow (PKCE, state, nonce) with sign-in and consent, code exchanged by openid-client', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'code-flow');
  try {
    const config = await rp('basic');
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri, scope: 'openid email' });
    assert.equal(req.url.searchParams.get('code_challenge_method'), 'S256');
    const page = await s.newPage();

    await page.goto(req.url.href);
    const signInUrl = await waitForSignIn(page);
    assert.equal(new URL(signInUrl).origin, ISSUER_ORIGIN, 'the sign-in page is on the issuer');
    await s.shot(page, 'sign-in');
    await signInWith(page, USER);

    await page.getByRole('heading', { level: 1, name: 'Autorisation' }).waitFor();
    await s.shot(page, 'consent');
    const callback = s.nextRpHit(REDIRECT_URI);
    await approveConsent(page);
    const hit = await callback;
    await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
    await s.shot(page, 'callback');

    assert.equal(hit.method, 'GET');
    const cb = new URL(hit.url);
    assert.equal(cb.origin + cb.pathname, REDIRECT_URI);
    assert.equal(cb.searchParams.get('state'), req.state, 'state in the redirect');
    assert.equal(cb.searchParams.get('iss'), ISSUER, 'iss in the redirect (RFC 9207)');
    assert.match(cb.searchParams.get('code') ?? '', /^.{16,}$/, 'a code in the redirect');
    assert.equal(cb.searchParams.get('error'), null);
    assert.equal(page.url(), hit.url, 'the browser landed on the redirect URI');

    const tokens = await client.authorizationCodeGrant(config, cb, {
      pkceCodeVerifier: req.codeVerifier,
      expectedState: req.state,
      expectedNonce: req.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    assert.equal(claims.iss, ISSUER);
    assert.ok([claims.aud].flat().includes(CLIENTS.basic.id), 'aud is the client');
    assert.equal(claims.nonce, req.nonce);
    assert.equal(typeof claims.sub, 'string');
    assert.ok(claims.sub.length > 0);
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.email, USER.email, 'userinfo email of the user who signed in in the browser');

    // Cookies: the session cookie is HttpOnly (scripts cannot read it).
    const cookies = await s.context.cookies(ISSUER);
    assert.ok(cookies.length > 0, 'the issuer set cookies');
    for (const c of cookies) assert.equal(c.httpOnly, true, `cookie ${c.name} is HttpOnly`);

    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

test('browser: response_mode=form_post auto-submits a POST to the redirect URI (script allowed by the CSP)', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'form-post');
  try {
    // e2e-post skips consent: the sign-in POST answers with the form_post page.
    const config = await rp('post');
    const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri, extra: { response_mode: 'form_post' } });
    const page = await s.newPage();

    await page.goto(req.url.href);
    await waitForSignIn(page);
    await s.shot(page, 'sign-in');
    const callback = s.nextRpHit(REDIRECT_URI);
    await signInWith(page, USER);
    const hit = await callback;
    await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
    await s.shot(page, 'callback');

    assert.equal(hit.method, 'POST', 'the form_post page POSTs to the redirect URI');
    assert.equal(hit.url, REDIRECT_URI, 'posted to the redirect URI itself, no query');
    assert.match(hit.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
    const body = new URLSearchParams(hit.postData);
    assert.equal(body.get('state'), req.state, 'state in the POST body');
    assert.equal(body.get('iss'), ISSUER, 'iss in the POST body');
    assert.ok(body.get('code'), 'code in the POST body');

    // The auto-submit came from our script, loaded from the issuer.
    const script = s.responseFor(`${ISSUER_ORIGIN}/_trame/assets/form_post.js`);
    assert.ok(script, `form_post.js was requested:\n${s.trace()}`);
    assert.equal(script.status, 200);
    assert.match(script.headers['content-type'] ?? '', /javascript/);

    const tokens = await client.authorizationCodeGrant(
      config,
      new Request(REDIRECT_URI, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: hit.postData }),
      { pkceCodeVerifier: req.codeVerifier, expectedState: req.state, expectedNonce: req.nonce, idTokenExpected: true },
    );
    assert.equal(tokens.claims().iss, ISSUER);
    assert.equal(tokens.claims().nonce, req.nonce);

    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

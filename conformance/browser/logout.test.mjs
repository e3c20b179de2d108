// Browser suite 7: RP-initiated logout in Chromium — end_session with
// id_token_hint, post_logout_redirect_uri and state, then prompt=none gives
// login_required.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, USER, CLIENTS, REDIRECT_URI, POST_LOGOUT_REDIRECT_URI, rp, newRequest, client } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, TEST_TIMEOUT } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Sends a prompt=none authorization request in `page`; returns the request and the callback URL. */
async function promptNone(s, page, config, step) {
  const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri, extra: { prompt: 'none' } });
  const callback = s.nextRpHit(REDIRECT_URI);
  await page.goto(req.url.href);
  const hit = await callback;
  await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
  await s.shot(page, step);
  const cb = new URL(hit.url);
  assert.equal(cb.origin + cb.pathname, REDIRECT_URI, 'prompt=none answers at the redirect URI, no page shown');
  assert.equal(cb.searchParams.get('state'), req.state, 'prompt=none: state');
  assert.equal(cb.searchParams.get('iss'), ISSUER, 'prompt=none: iss');
  return { req, cb };
}

test('browser: RP-initiated logout (id_token_hint, post_logout_redirect_uri, state), then prompt=none gives login_required', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'logout');
  try {
    // e2e-post: skip-consent, post-logout redirect registered.
    const config = await rp('post');
    const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri });
    const page = await s.newPage();
    await page.goto(req.url.href);
    await waitForSignIn(page);
    await s.shot(page, 'sign-in');
    const callback = s.nextRpHit(REDIRECT_URI);
    await signInWith(page, USER);
    const hit = await callback;
    await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
    await s.shot(page, 'callback');
    const tokens = await client.authorizationCodeGrant(config, new URL(hit.url), {
      pkceCodeVerifier: req.codeVerifier,
      expectedState: req.state,
      expectedNonce: req.nonce,
      idTokenExpected: true,
    });
    assert.equal(typeof tokens.claims().sid, 'string', 'the ID token carries sid');

    // Control: while signed in, prompt=none gives a code silently.
    const before = await promptNone(s, page, config, 'prompt-none-signed-in');
    assert.ok(before.cb.searchParams.get('code'), `prompt=none while signed in gives a code: ${before.cb}`);

    // RP-initiated logout.
    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI,
      state,
    });
    const back = s.nextRpHit(POST_LOGOUT_REDIRECT_URI);
    await page.goto(endSession.href);
    const logoutHit = await back;
    await page.waitForURL((u) => u.href.startsWith(POST_LOGOUT_REDIRECT_URI));
    await s.shot(page, 'logged-out');
    assert.equal(logoutHit.method, 'GET');
    const lo = new URL(logoutHit.url);
    assert.equal(lo.origin + lo.pathname, POST_LOGOUT_REDIRECT_URI, 'redirected to the post_logout_redirect_uri');
    assert.equal(lo.searchParams.get('state'), state, 'state round-trips');
    // With a hint for the current session there is no confirmation page:
    // the end_session request went straight to the client.
    const docs = s.requests.filter((r) => r.type === 'document').map((r) => r.url);
    assert.equal(docs.at(-2), endSession.href, `end_session then the post-logout redirect:\n${docs.join('\n')}`);

    // Signed out: prompt=none now gives login_required.
    const after = await promptNone(s, page, config, 'prompt-none-signed-out');
    assert.equal(after.cb.searchParams.get('error'), 'login_required', `prompt=none after logout: ${after.cb}`);
    assert.equal(after.cb.searchParams.get('code'), null);
    await assert.rejects(
      client.authorizationCodeGrant(config, after.cb, { pkceCodeVerifier: after.req.codeVerifier, expectedState: after.req.state }),
      (err) => err instanceof client.AuthorizationResponseError && err.error === 'login_required',
    );

    s.assertClean([REDIRECT_URI, POST_LOGOUT_REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

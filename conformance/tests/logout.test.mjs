// 7. RP-initiated logout.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, USER, CLIENTS, POST_LOGOUT_REDIRECT_URI, rp, signIn, newRequest, client, oauthError } from './lib/setup.mjs';
import { Browser, authorize, parseForms, hiddenFields, isRedirect, isSignInForm } from './lib/browser.mjs';

/**
 * Sends a prompt=none authorization request from `browser` and returns what
 * arrives at the redirect URI. prompt=none must never show a page.
 */
async function promptNone(browser, config) {
  const redirectUri = CLIENTS.post.redirectUri;
  const req = await newRequest(config, { redirectUri, extra: { prompt: 'none' } });
  const res = await browser.follow(await browser.get(req.url.href), redirectUri);
  assert.ok(isRedirect(res), `prompt=none must redirect to the client, got ${res.status}:\n${res.body.slice(0, 500)}\n${browser.trace()}`);
  const callbackUrl = new URL(res.location);
  assert.equal(callbackUrl.origin + callbackUrl.pathname, redirectUri);
  assert.equal(callbackUrl.searchParams.get('state'), req.state);
  assert.equal(callbackUrl.searchParams.get('iss'), ISSUER);
  return { req, callbackUrl };
}

async function expectLoginRequired(browser, config) {
  const { req, callbackUrl } = await promptNone(browser, config);
  assert.equal(callbackUrl.searchParams.get('error'), 'login_required', `prompt=none after logout: ${callbackUrl}`);
  assert.equal(callbackUrl.searchParams.get('code'), null);
  // openid-client reports it as an authorization response error.
  let thrown;
  try {
    await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: req.codeVerifier, expectedState: req.state });
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof client.AuthorizationResponseError, `expected AuthorizationResponseError, got ${thrown}`);
  assert.equal((await oauthError(thrown)).error, 'login_required');
}

test('logout: id_token_hint + post_logout_redirect_uri + state redirects back, then prompt=none gives login_required', async () => {
  const browser = new Browser();
  const config = await rp('post');
  const { tokens, claims } = await signIn('post', { browser, config });
  assert.equal(typeof claims.sid, 'string', 'the ID token carries sid');

  // Control: while signed in, prompt=none silently issues a code.
  const before = await promptNone(browser, config);
  assert.ok(before.callbackUrl.searchParams.get('code'), `prompt=none while signed in gives a code: ${before.callbackUrl}`);

  // Keep a copy of the session cookies to check that logout ends the session
  // on the server, not only in this browser.
  const oldCookies = browser.jar.clone();

  const state = client.randomState();
  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI,
    state,
  });
  const res = await browser.get(endSession.href);
  assert.equal(res.status, 303, `end_session with a valid hint for the current session redirects at once (got ${res.status}):\n${res.body.slice(0, 500)}`);
  const back = new URL(res.location);
  assert.equal(back.origin + back.pathname, POST_LOGOUT_REDIRECT_URI, 'redirected to the post_logout_redirect_uri');
  assert.equal(back.searchParams.get('state'), state, 'state round-trips');

  await expectLoginRequired(browser, config);
  await expectLoginRequired(new Browser(oldCookies), config);
});

test('logout without id_token_hint asks for confirmation, then signs out', async () => {
  const browser = new Browser();
  const config = await rp('post');
  await signIn('post', { browser, config });
  const oldCookies = browser.jar.clone();

  const endSession = client.buildEndSessionUrl(config, {});
  let res = await browser.follow(await browser.get(endSession.href));
  assert.equal(res.status, 200, `a confirmation page is shown (got ${res.status})`);
  const forms = parseForms(res.body, res.url).filter((f) => f.method === 'post');
  assert.equal(forms.length, 1, `the confirmation page has one POST form:\n${res.body.slice(0, 800)}`);
  const form = forms[0];
  assert.ok(form.buttons.length >= 1, 'the confirmation form has a submit button');
  const button = form.buttons.find((b) => b.name) ;
  res = await browser.submit(form, button ? [[button.name, button.value]] : []);
  // No post_logout_redirect_uri: a "signed out" page (possibly after a redirect).
  res = await browser.follow(res);
  assert.equal(res.status, 200, `a signed-out page is shown (got ${res.status})`);
  assert.ok(!parseForms(res.body, res.url).some(isSignInForm), 'the signed-out page is not a sign-in page');

  await expectLoginRequired(browser, config);
  await expectLoginRequired(new Browser(oldCookies), config);

  // Signing in again works and asks for the password again.
  const again = await authorize(browser, (await newRequest(config, { redirectUri: CLIENTS.post.redirectUri })).url, { ...USER, redirectUri: CLIENTS.post.redirectUri });
  assert.ok(again.signInShown, 'the password is asked again after logout');
  assert.ok(again.params.get('code'));
});

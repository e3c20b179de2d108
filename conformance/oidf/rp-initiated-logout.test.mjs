// The OpenID Foundation's RP-Initiated Logout OP plan
// (oidcc-rp-initiated-logout-certification-test-plan, response_type=code,
// static client): one test per module, named after the module.
//
// Every module (AbstractOIDCCRpInitiatedLogout) starts with the normal code
// flow of oidcc-server, then sends the browser to the end_session_endpoint
// with id_token_hint (the ID token just received), post_logout_redirect_uri
// (registered for the client) and a random state
// (CreateEndSessionEndpointRequest), each module removing or spoiling one
// of them. Where the OP must come back, the suite's post_logout_redirect
// endpoint checks state (CheckPostLogoutState) and warns about other
// parameters, then makes a prompt=none authorization request that must
// answer an error requiring a user interface (the user is logged out).
// Where the OP must not come back, a call to post_logout_redirect fails the
// module and the tester uploads a screenshot of the page (an error page,
// or a confirmation / "you are logged out" page): here the page is
// checked, and where the module says the OP must log the user out, the
// test confirms (as the tester would) and checks with prompt=none that the
// session is gone.
//
// The suite's static client is oidf-logout: oidf-client's set-up plus the
// registered post_logout_redirect_uri http://localhost:9/logged-out.
// Trame's end_session_endpoint is idp/web/src/routes/logout.rs.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  ISSUER,
  CLIENTS,
  client,
  jose,
  jwtPayload,
  Browser,
  isRedirect,
  parseForms,
  relyingParty,
  server,
  authorizationRequest,
  silentAuthorization,
  checkErrorResponse,
  codeFlow,
  randomString,
  warn,
  note,
} from './lib/suite.mjs';

const PLRU = CLIENTS.oidfLogout.postLogoutRedirectUri;
const logoutParty = () => relyingParty('oidfLogout');

/**
 * The first part of every module: the normal flow (oidcc-server) in a new
 * browser, keeping the ID token for the hint.
 */
async function signedIn() {
  const party = await logoutParty();
  const { browser, tokens, claims } = await codeFlow(party, { request: { stateLength: 128 } });
  assert.equal(typeof claims.sid, 'string', 'the ID token carries sid (needed to tie the hint to the session)');
  return { party, browser, idToken: tokens.id_token, claims };
}

/**
 * CreateEndSessionEndpointRequest + BuildRedirectToEndSessionEndpoint: the
 * end_session_endpoint URL with `params` (undefined values left out).
 */
async function endSessionUrl(params) {
  const { discovery } = await server();
  assert.equal(typeof discovery.end_session_endpoint, 'string', 'discovery has end_session_endpoint');
  const url = new URL(discovery.end_session_endpoint);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

/** CreateRandomEndSessionState. */
const endSessionState = () => randomString(32);

/**
 * The second authorization of AbstractOIDCCRpInitiatedLogout: prompt=none
 * in the same browser must answer an error that requires a user interface
 * (CheckErrorFromAuthorizationEndpointIsOneThatRequiredAUserInterface),
 * with the generic error checks.
 */
async function expectLoggedOut(t, party, browser) {
  const req = await authorizationRequest(party, { stateLength: 128, extra: { prompt: 'none' } });
  const callbackUrl = await silentAuthorization(browser, req);
  const params = checkErrorResponse(t, callbackUrl, req, ['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);
  return params.get('error');
}

/**
 * handlePostLogoutRedirect: `res` must be a redirect to the registered
 * post_logout_redirect_uri; state as expected (CheckPostLogoutState, a
 * FAILURE), no other parameter (CheckForUnexpectedParametersInPostLogoutRedirect,
 * a WARNING).
 */
function checkPostLogoutRedirect(t, res, state) {
  assert.ok(isRedirect(res) && res.location, `the OP redirects to the post_logout_redirect_uri (got ${res.status}):\n${res.body.slice(0, 400)}`);
  const back = new URL(res.location);
  assert.equal(back.origin + back.pathname, PLRU, 'the redirect goes to the registered post_logout_redirect_uri');
  assert.equal(back.searchParams.get('state'), state ?? null, state ? 'state is returned unchanged' : 'no state when none was sent');
  const unexpected = [...back.searchParams.keys()].filter((k) => k !== 'state');
  warn(t, unexpected.length === 0, `unexpected parameters in the post logout redirect: ${unexpected.join(', ')}`);
  assert.equal(back.hash, '', 'no fragment added');
}

/**
 * The modules where post_logout_redirect must not be called: the answer
 * is a page (never a redirect to the client, directly or after other
 * redirects). Returns the page and what it is: 'error' (4xx),
 * 'confirmation' (a POST form asking to sign out) or 'signed-out'.
 */
async function expectNoRedirectBack(browser, url) {
  const res = await browser.follow(await browser.get(url.href), PLRU);
  assert.ok(!(isRedirect(res) && res.location?.startsWith(PLRU)), `the OP must not redirect to the post_logout_redirect_uri (got ${res.status} ${res.location})`);
  assert.ok(!isRedirect(res), `a page, not a redirect (got ${res.status} ${res.location})`);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/, 'an HTML page');
  assert.ok(!res.body.includes(PLRU), 'the page offers no link back to the post_logout_redirect_uri');
  let kind;
  if (res.status >= 400 && res.status < 500) kind = 'error';
  else {
    assert.equal(res.status, 200, `an error page (4xx) or a page (200), got ${res.status}`);
    kind = parseForms(res.body, res.url).some((f) => f.method === 'post' && f.buttons.length > 0) ? 'confirmation' : 'signed-out';
  }
  return { res, kind };
}

/** Confirms a confirmation page as the tester would; returns the next page. */
async function confirmLogout(browser, res) {
  const form = parseForms(res.body, res.url).find((f) => f.method === 'post' && f.buttons.length > 0);
  assert.ok(form, 'the confirmation page has a POST form');
  const button = form.buttons.find((b) => b.name);
  return browser.follow(await browser.submit(form, button ? [[button.name, button.value]] : []), PLRU);
}

/**
 * The modules where the OP "must log the user out" without coming back
 * (no-params, no-post-logout-redirect-uri, only-state): a signed-out page,
 * or a confirmation page that leads to one; then prompt=none must fail.
 */
async function expectSignedOutPage(t, party, browser, url) {
  const { res, kind } = await expectNoRedirectBack(browser, url);
  assert.notEqual(kind, 'error', `not an error page (${res.status}):\n${res.body.slice(0, 400)}`);
  let page = res;
  if (kind === 'confirmation') {
    page = await confirmLogout(browser, res);
    assert.ok(!isRedirect(page), `after confirming, a signed-out page, not a redirect (got ${page.status} ${page.location})`);
    assert.equal(page.status, 200, 'the signed-out page answers 200');
  }
  const error = await expectLoggedOut(t, party, browser);
  note(t, `${kind === 'confirmation' ? 'confirmation page, then signed-out page' : 'signed-out page at once'}; prompt=none then gave ${error}`);
}

/**
 * The modules where the OP must show an error (or a confirmation) page:
 * no redirect back; which page it was is noted.
 */
async function expectErrorPage(t, browser, url, { allowConfirmation = false } = {}) {
  const { res, kind } = await expectNoRedirectBack(browser, url);
  if (!allowConfirmation) assert.equal(kind, 'error', `an error page (got ${res.status}, ${kind})`);
  else assert.notEqual(kind, 'signed-out', 'an error or confirmation page, not a signed-out page');
  note(t, `${kind} page (${res.status})`);
  return { res, kind };
}

// oidcc-rp-initiated-logout-discovery-endpoint-verification. The suite: the
// discovery checks of the Config OP plan, plus end_session_endpoint present
// (OIDCRIL-2.1) and an https URL (here: https or the test issuer's own
// http origin). Mirrored on the logout part.
test('oidcc-rp-initiated-logout-discovery-endpoint-verification', async () => {
  const { discovery } = await server();
  assert.equal(typeof discovery.end_session_endpoint, 'string', 'end_session_endpoint is advertised');
  const url = new URL(discovery.end_session_endpoint);
  assert.ok(url.protocol === 'https:' || url.origin === new URL(ISSUER).origin, `end_session_endpoint is https or on the issuer's origin: ${url}`);
});

// oidcc-rp-initiated-logout. The suite: the normal flow, then the end
// session request with id_token_hint, post_logout_redirect_uri and state;
// the OP must send the browser to post_logout_redirect_uri with the state
// unchanged (other parameters: warning), then prompt=none must return an
// error requiring a user interface. Mirrored (the immediate 303 is
// Trame's answer to a hint matching the current session); the session's
// old cookies are also checked to be dead on the server.
test('oidcc-rp-initiated-logout', async (t) => {
  const { party, browser, idToken } = await signedIn();
  const oldCookies = browser.jar.clone();
  const state = endSessionState();
  const res = await browser.get((await endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: PLRU, state })).href);
  checkPostLogoutRedirect(t, res, state);
  note(t, `prompt=none after logout: ${await expectLoggedOut(t, party, browser)}`);
  await expectLoggedOut(t, party, new Browser(oldCookies));
});

// oidcc-rp-initiated-logout-bad-id-token-hint. The suite: the end session
// request carries an id_token_hint signed by the test suite
// (GenerateFakeIdTokenClaims + SignFakeIdToken: the real ID token's claims,
// signed with a key the OP does not have); the OP must show an error page
// and never call post_logout_redirect_uri. Mirrored with the ID token's
// claims signed HS256 with the client secret (a key the OP's JWKS does not
// hold for ID tokens).
test('oidcc-rp-initiated-logout-bad-id-token-hint', async (t) => {
  const { browser, idToken } = await signedIn();
  const fake = await new jose.SignJWT(jwtPayload(idToken))
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(CLIENTS.oidfLogout.secret));
  await expectErrorPage(t, browser, await endSessionUrl({ id_token_hint: fake, post_logout_redirect_uri: PLRU, state: endSessionState() }));
});

// oidcc-rp-initiated-logout-modified-id-token-hint. The suite: the real ID
// token with its signature spoiled (InvalidateIdTokenHintSignature); the
// OP must show an error page and not redirect. Mirrored (one bit of the
// signature flipped).
test('oidcc-rp-initiated-logout-modified-id-token-hint', async (t) => {
  const { browser, idToken } = await signedIn();
  const [h, p, sig] = idToken.split('.');
  const bytes = Buffer.from(sig, 'base64url');
  bytes[bytes.length - 1] ^= 0x01;
  const modified = `${h}.${p}.${bytes.toString('base64url')}`;
  await expectErrorPage(t, browser, await endSessionUrl({ id_token_hint: modified, post_logout_redirect_uri: PLRU, state: endSessionState() }));
});

// oidcc-rp-initiated-logout-no-id-token-hint. The suite: post_logout_redirect_uri
// and state, but no id_token_hint (and no client_id); the OP must not
// redirect back and must show an error page or ask the user to confirm
// (screenshot). Mirrored: either page accepted, which one is noted.
test('oidcc-rp-initiated-logout-no-id-token-hint', async (t) => {
  const { browser } = await signedIn();
  await expectErrorPage(t, browser, await endSessionUrl({ post_logout_redirect_uri: PLRU, state: endSessionState() }), { allowConfirmation: true });
});

// oidcc-rp-initiated-logout-no-params. The suite: the end session request
// with no parameter at all; the OP must log the user out and show a "you
// are logged out" page (screenshot), never calling post_logout_redirect_uri.
// Mirrored: a signed-out page, or a confirmation page that the test
// confirms and that leads to one; then prompt=none must fail.
test('oidcc-rp-initiated-logout-no-params', async (t) => {
  const { party, browser } = await signedIn();
  await expectSignedOutPage(t, party, browser, await endSessionUrl({}));
});

// oidcc-rp-initiated-logout-no-post-logout-redirect-uri. The suite:
// id_token_hint and state only; the OP must log the user out and show its
// own signed-out page (screenshot), not redirect. Mirrored as no-params.
test('oidcc-rp-initiated-logout-no-post-logout-redirect-uri', async (t) => {
  const { party, browser, idToken } = await signedIn();
  await expectSignedOutPage(t, party, browser, await endSessionUrl({ id_token_hint: idToken, state: endSessionState() }));
});

// oidcc-rp-initiated-logout-no-state. The suite: id_token_hint and
// post_logout_redirect_uri without state; the OP must redirect to
// post_logout_redirect_uri with no state added (CheckPostLogoutState),
// then prompt=none must fail. Mirrored.
test('oidcc-rp-initiated-logout-no-state', async (t) => {
  const { party, browser, idToken } = await signedIn();
  const res = await browser.get((await endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: PLRU })).href);
  checkPostLogoutRedirect(t, res, undefined);
  await expectLoggedOut(t, party, browser);
});

// oidcc-rp-initiated-logout-only-state. The suite: only state (no hint,
// no post_logout_redirect_uri); the OP must log the user out and show a
// signed-out page, not call post_logout_redirect_uri. Mirrored as
// no-params.
test('oidcc-rp-initiated-logout-only-state', async (t) => {
  const { party, browser } = await signedIn();
  await expectSignedOutPage(t, party, browser, await endSessionUrl({ state: endSessionState() }));
});

// oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri. The
// suite: the registered post_logout_redirect_uri with "?foo=bar" added,
// with id_token_hint and state; the OP must not redirect back and must
// show an error page or ask for confirmation (screenshot). Mirrored.
test('oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri', async (t) => {
  const { browser, idToken } = await signedIn();
  await expectErrorPage(t, browser, await endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: `${PLRU}?foo=bar`, state: endSessionState() }), { allowConfirmation: true });
});

// oidcc-rp-initiated-logout-bad-post-logout-redirect-uri. The suite: a
// post_logout_redirect_uri that is not registered, with id_token_hint and
// state; the OP must show an error page and not redirect (screenshot).
// Mirrored with the registered URI's path changed.
test('oidcc-rp-initiated-logout-bad-post-logout-redirect-uri', async (t) => {
  const { browser, idToken } = await signedIn();
  const bad = `${new URL(PLRU).origin}/not-registered-${randomString(8)}`;
  const { res } = await expectErrorPage(t, browser, await endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: bad, state: endSessionState() }), { allowConfirmation: true });
  assert.ok(!res.body.includes(bad), 'the page offers no link to the unregistered URI');
});

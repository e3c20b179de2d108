// The OpenID Foundation's Back-Channel and Front-Channel RP-Initiated
// Logout plans (oidcc-backchannel-rp-initiated-logout-certification-test-plan,
// oidcc-frontchannel-rp-initiated-logout-certification-test-plan), with
// dynamically registered clients on the "dyn" tenant, one test per module.
// As in AbstractOIDCCRpInitiatedLogout: the normal flow, then the browser
// goes to the end_session_endpoint with id_token_hint,
// post_logout_redirect_uri and a 128-character state; the OP must notify
// the relying party (a logout token posted to backchannel_logout_uri, or
// frontchannel_logout_uri loaded in the browser), come back to the
// post_logout_redirect_uri with the state, and a prompt=none request
// afterwards must answer an error that requires a user interface.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as client from 'openid-client';
import { Browser, isRedirect, authorizationRequest, runAuthorization, silentAuthorization, responseParams, randomString, warn, sleep, checkTokenResponse } from './lib/suite.mjs';
import { DYN_ISSUER, REDIRECT_URI, rs256Key, rpServer, dynServer, registrationRequest, register, checkRegistered, dynamicParty, unregister } from './lib/dynamic.mjs';
import { POST_LOGOUT_REDIRECT_URI, USER, newRequest } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, approveConsent, TEST_TIMEOUT } from '../browser/lib/harness.mjs';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

async function dynKeySet() {
  const { jwks_uri } = await dynServer();
  return jose.createLocalJWKSet(await (await fetch(jwks_uri)).json());
}

/** The end_session_endpoint URL (CreateEndSessionEndpointRequest). */
async function endSessionUrl(params) {
  const url = new URL((await dynServer()).end_session_endpoint);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url;
}

/** The prompt=none request after logout: an error requiring a user interface. */
async function expectLoggedOut(party, browser) {
  const req = await authorizationRequest(party, { stateLength: 128, extra: { prompt: 'none' } });
  const callbackUrl = await silentAuthorization(browser, req);
  const params = responseParams(callbackUrl);
  assert.ok(['login_required', 'interaction_required', 'consent_required', 'account_selection_required'].includes(params.get('error')), `prompt=none after logout: ${callbackUrl}`);
  assert.equal(params.get('state'), req.state);
}

/** The code flow for a registered client, in `browser`; returns the ID token claims. */
async function signIn(party, browser) {
  const req = await authorizationRequest(party, { stateLength: 128 });
  const flow = await runAuthorization(browser, req);
  const tokens = await client.authorizationCodeGrant(party.config, flow.callbackUrl, { expectedState: req.state, expectedNonce: req.nonce, idTokenExpected: true });
  checkTokenResponse(party.last('token_endpoint'), tokens);
  return { tokens, claims: tokens.claims() };
}

// oidcc-backchannel-logout-discovery-endpoint-verification: discovery
// says back-channel logout is supported, with sessions (OIDCBCL-2.1).
test('oidcc-backchannel-logout-discovery-endpoint-verification', async () => {
  const d = await dynServer();
  assert.equal(d.backchannel_logout_supported, true);
  assert.equal(d.backchannel_logout_session_supported, true);
  assert.equal(typeof d.end_session_endpoint, 'string');
});

// oidcc-backchannel-rp-initiated-logout: the client registers
// backchannel_logout_uri and backchannel_logout_session_required=true.
// After RP-initiated logout the OP posts a logout token
// (ExtractLogoutTokenFromBackchannelLogoutRequest: a form with
// logout_token, CheckForUnexpectedParametersInBackchannelLogoutRequest);
// ValidateLogoutTokenSignature against the OP's keys;
// ValidateLogoutTokenClaims (iss, aud, iat, jti, events with the
// back-channel event, typ logout+jwt); sub and sid equal to the ID
// token's; no nonce (CheckLogoutTokenNoNonce); sub or sid present. Then
// the post_logout redirect with the state, then prompt=none fails.
test('oidcc-backchannel-rp-initiated-logout', async (t) => {
  const rp = await rpServer();
  const key = await rs256Key();
  const sent = registrationRequest(key, { backchannel_logout_uri: rp.backchannelUri, backchannel_logout_session_required: true, post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI] });
  const reg = checkRegistered(await register(sent), Object.fromEntries(Object.entries(sent).filter(([k]) => k !== 'jwks')));
  const party = await dynamicParty(reg, key);
  const browser = new Browser();
  const { tokens, claims } = await signIn(party, browser);
  assert.equal(typeof claims.sid, 'string', 'the ID token carries sid');

  const state = randomString(128);
  const url = await endSessionUrl({ id_token_hint: tokens.id_token, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state });
  const res = await browser.follow(await browser.get(url.href), POST_LOGOUT_REDIRECT_URI);
  assert.ok(isRedirect(res) && res.location?.startsWith(POST_LOGOUT_REDIRECT_URI), `back to the post_logout_redirect_uri (got ${res.status} ${res.location})`);
  assert.equal(new URL(res.location).searchParams.get('state'), state, 'CheckPostLogoutState');

  for (let i = 0; i < 50 && rp.state.backchannel.length === 0; i++) await sleep(100);
  assert.equal(rp.state.backchannel.length, 1, 'one back-channel logout request');
  const request = rp.state.backchannel[0];
  assert.match(request.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
  const form = new URLSearchParams(request.body);
  warn(t, [...form.keys()].every((k) => k === 'logout_token'), `unexpected parameters: ${[...form.keys()].join(', ')}`);
  const logoutToken = form.get('logout_token');
  assert.ok(logoutToken, 'a logout_token');
  const { payload, protectedHeader } = await jose.jwtVerify(logoutToken, await dynKeySet(), { issuer: DYN_ISSUER, audience: reg.client_id, typ: 'logout+jwt' });
  assert.notEqual(protectedHeader.alg, 'none');
  assert.ok(Number.isInteger(payload.iat) && typeof payload.jti === 'string' && payload.jti.length > 0);
  assert.deepEqual(payload.events, { [BACKCHANNEL_EVENT]: {} });
  assert.equal(payload.sub, claims.sub, 'CheckIdTokenSubMatchesLogoutToken');
  assert.equal(payload.sid, claims.sid, 'CheckIdTokenSidMatchesLogoutToken');
  assert.ok(!('nonce' in payload), 'CheckLogoutTokenNoNonce');

  await expectLoggedOut(party, browser);
  await unregister(reg);
  rp.close();
});

// oidcc-frontchannel-logout-discovery-endpoint-verification (OIDCFCL-3).
test('oidcc-frontchannel-logout-discovery-endpoint-verification', async () => {
  const d = await dynServer();
  assert.equal(d.frontchannel_logout_supported, true);
  assert.equal(d.frontchannel_logout_session_supported, true);
});

let chromium;
before(async () => {
  chromium = await launch();
});
after(async () => {
  await chromium?.close();
});

// oidcc-frontchannel-rp-initiated-logout: the client registers
// frontchannel_logout_uri (same origin as its redirect URI) and
// frontchannel_logout_session_required=true. In Chromium: the flow, then
// the end_session_endpoint; the OP's page must load the
// frontchannel_logout_uri with iss (ValidateFrontchannelLogoutIss) and the
// ID token's sid (CheckIdTokenSidMatchesFrontChannelLogoutRequest), no
// other parameter (a warning), then reach the post_logout_redirect_uri
// with the state; then prompt=none fails.
test('oidcc-frontchannel-rp-initiated-logout', { timeout: TEST_TIMEOUT }, async (t) => {
  const frontchannel = 'http://localhost:9/frontchannel_logout';
  const key = await rs256Key();
  const sent = registrationRequest(key, { frontchannel_logout_uri: frontchannel, frontchannel_logout_session_required: true, post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI] });
  const reg = checkRegistered(await register(sent), Object.fromEntries(Object.entries(sent).filter(([k]) => k !== 'jwks')));
  const party = await dynamicParty(reg, key);
  const s = await openContext(chromium, 'frontchannel-logout');
  try {
    const page = await s.newPage();
    const req = await newRequest(party.config, { redirectUri: REDIRECT_URI });
    await page.goto(req.url.href);
    await waitForSignIn(page);
    await signInWith(page, USER);
    const callback = s.nextRpHit(REDIRECT_URI);
    await approveConsent(page);
    const hit = await callback;
    const tokens = await client.authorizationCodeGrant(party.config, new URL(hit.url), { pkceCodeVerifier: req.codeVerifier, expectedState: req.state, expectedNonce: req.nonce, idTokenExpected: true });
    checkTokenResponse(party.last('token_endpoint'), tokens);
    const claims = tokens.claims();

    const state = randomString(128);
    const url = await endSessionUrl({ id_token_hint: tokens.id_token, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state });
    const frontHit = s.nextRpHit(frontchannel);
    const backHit = s.nextRpHit(POST_LOGOUT_REDIRECT_URI);
    // Only until the response arrives: the page goes on by itself once its
    // frames have loaded, and a goto waiting for its load event is
    // interrupted by that navigation when the frames are quick.
    await page.goto(url.href, { waitUntil: 'commit' });
    const front = new URL((await frontHit).url);
    assert.equal(front.searchParams.get('iss'), DYN_ISSUER, 'ValidateFrontchannelLogoutIss');
    assert.equal(front.searchParams.get('sid'), claims.sid, 'CheckIdTokenSidMatchesFrontChannelLogoutRequest');
    warn(t, [...front.searchParams.keys()].every((k) => k === 'iss' || k === 'sid'), `unexpected parameters: ${front.search}`);
    const back = new URL((await backHit).url);
    assert.equal(back.searchParams.get('state'), state, 'CheckPostLogoutState');
    // The request is seen before its navigation commits: wait for it, or
    // the next goto is interrupted by it.
    await page.waitForURL((u) => u.href.startsWith(POST_LOGOUT_REDIRECT_URI));
    assert.deepEqual(s.violations, [], 'no CSP violation on the way (frame-src allows the relying party)');

    // prompt=none in the same browser: an error requiring a user interface.
    const silent = await newRequest(party.config, { redirectUri: REDIRECT_URI, extra: { prompt: 'none' } });
    const again = s.nextRpHit(REDIRECT_URI);
    await page.goto(silent.url.href);
    const err = new URL((await again).url);
    assert.equal(err.searchParams.get('error'), 'login_required');
  } finally {
    await s.close();
  }
  await unregister(reg);
});

// The OpenID Foundation's Form Post Basic OP plan
// (oidcc-formpost-basic-certification-test-plan): the Basic OP plan's
// modules run with response_mode=form_post (OAuth 2.0 Form Post Response
// Mode), response_type=code, client_secret_basic, static client. The suite
// reuses the basic module names under that variant; here they are named
// `<module> (form_post)`, and only the modules whose behaviour differs with
// form_post are mirrored: where the response goes (a POST from an
// auto-submitting HTML form to the redirect URI, carrying code, state and
// iss, or the error, state and iss), and where it must never go (an
// unregistered redirect URI). The other modules of the plan check the same
// token, ID token and userinfo behaviour as in basic-op.test.mjs.
//
// The suite's redirect URI receives the POST; the stand-in browser
// (tests/lib/browser.mjs) stops at the page that would send it and reads
// its form (readFormPost() in lib/suite.mjs), then hands the POST to
// openid-client as a Request. Client: oidf-client (the suite's "client").
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  ISSUER,
  CLIENTS,
  client,
  Browser,
  isRedirect,
  relyingParty,
  server,
  authorizationRequest,
  runAuthorization,
  checkErrorResponse,
  redeem,
  callUserInfo,
  checkUserInfo,
  expectTokenError,
  readFormPost,
  formPostCallback,
  silentFormPost,
  note,
} from './lib/suite.mjs';

const oidf = () => relyingParty('oidf');
const FORM_POST = { response_mode: 'form_post' };

/**
 * The success checks of the suite on a form_post response
 * (CheckMatchingCallbackParameters on the POST body,
 * ValidateIssIfPresentInAuthorizationResponse,
 * CheckIfAuthorizationEndpointError, CheckStateInAuthorizationResponse,
 * ExtractAuthorizationCodeFromAuthorizationResponse).
 */
function checkFormPostSuccess(params, req) {
  assert.equal(params.get('error'), null, `no error in the form_post response: ${params}`);
  assert.ok(params.get('code'), 'the form_post response has a code');
  assert.equal(params.get('iss'), ISSUER, 'iss in the form_post response (RFC 9207)');
  assert.equal(params.get('state'), req.state ?? null, 'state is returned unchanged');
}

/**
 * checkErrorResponse() applied to a form_post error: the same generic
 * checks, on the fields of the form instead of the query.
 */
function checkFormPostError(t, params, req, allowed) {
  const asUrl = new URL(req.redirectUri);
  asUrl.search = params.toString();
  return checkErrorResponse(t, asUrl, req, allowed);
}

/** One code flow with response_mode=form_post, signing alice in. */
async function formPostFlow(party, { browser = new Browser(), request = {} } = {}) {
  const req = await authorizationRequest(party, { ...request, extra: { ...FORM_POST, ...(request.extra ?? {}) } });
  const flow = await runAuthorization(browser, req);
  assert.equal(flow.formPost, true, `the response came as a form_post page, not a redirect (${flow.callbackUrl})`);
  return { browser, req, flow };
}

// oidcc-server (form_post variant). The suite: the normal code flow with
// response_mode=form_post: the authorization response arrives as a POST to
// the redirect URI with code, state (unchanged) and iss, never in a query;
// then the token request (client_secret_basic), the ID token checks and a
// userinfo GET. Mirrored: the page that makes the POST is checked (200,
// HTML, one POST form whose action is exactly the redirect URI, hidden
// fields, auto-submitted; Cache-Control: no-store is a warning), no
// redirect to the redirect URI happened on the way, and openid-client
// redeems the POST (as a Request) with the suite's token and ID token
// checks, then userinfo answers 200 with the same sub.
test('oidcc-server (form_post)', async (t) => {
  await server();
  const party = await oidf();
  const { browser, req, flow } = await formPostFlow(party);
  assert.ok(!browser.history.some((r) => r.location && r.location.split('?')[0] === req.redirectUri), 'no redirect to the redirect URI (the code never travels in a URL)');
  const { params } = readFormPost(t, browser.history.at(-1), req.redirectUri);
  checkFormPostSuccess(params, req);
  const { tokens, claims } = await redeem(party, formPostCallback(req.redirectUri, params), req);
  checkUserInfo(await callUserInfo(party, tokens.access_token, 'get'), claims);
  note(t, `form_post page delivered ${[...params.keys()].join(', ')}`);
});

// oidcc-response-type-missing (form_post variant). The suite sends the
// request (with response_mode=form_post) without response_type and accepts
// an error page (screenshot) or an error response (invalid_request or
// unsupported_response_type) that passes the generic error checks.
// Mirrored: an error page, a form_post error or a redirected error are all
// accepted (the one Trame chose is noted); a code never is.
test('oidcc-response-type-missing (form_post)', async (t) => {
  const party = await oidf();
  const req = await authorizationRequest(party, { omit: ['response_type'], extra: FORM_POST });
  const res = await new Browser().get(req.url.href);
  const allowed = ['invalid_request', 'unsupported_response_type'];
  if (isRedirect(res)) {
    const params = checkErrorResponse(t, new URL(res.location), req, allowed);
    note(t, `answered by a redirect to the redirect URI with error=${params.get('error')}`);
  } else if (res.status === 200) {
    const { params } = readFormPost(t, res, req.redirectUri);
    checkFormPostError(t, params, req, allowed);
    note(t, `answered by form_post with error=${params.get('error')}`);
  } else {
    assert.ok(res.status >= 400 && res.status < 500, `an error page (got ${res.status})`);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/, 'an HTML error page');
    note(t, `answered with an error page (${res.status}), which the suite accepts after a screenshot review`);
  }
});

// oidcc-prompt-none-not-logged-in (form_post variant). The suite: from a
// browser without a session, prompt=none with a 128-character state; the
// OP must answer at once (no page) with login_required,
// interaction_required, account_selection_required or consent_required,
// the state unchanged and iss, here POSTed to the redirect URI. Mirrored:
// the first page is the form_post page, with the error fields and no code.
test('oidcc-prompt-none-not-logged-in (form_post)', async (t) => {
  const party = await oidf();
  const req = await authorizationRequest(party, { stateLength: 128, extra: { ...FORM_POST, prompt: 'none' } });
  const { params } = await silentFormPost(t, new Browser(), req);
  checkFormPostError(t, params, req, ['login_required', 'interaction_required', 'account_selection_required', 'consent_required']);
  assert.equal(params.get('iss'), ISSUER, 'iss in the form_post error response (RFC 9207)');
  note(t, `form_post error ${params.get('error')}`);
});

// oidcc-prompt-none-logged-in (form_post variant). The suite: a normal
// flow, then a second authorization with prompt=none in the same browser:
// a code arrives with no page shown (here the form_post page is the only
// page), and the second ID token has the same sub. Mirrored.
test('oidcc-prompt-none-logged-in (form_post)', async (t) => {
  const party = await oidf();
  const { browser, req, flow } = await formPostFlow(party);
  const first = await redeem(party, formPostCallback(req.redirectUri, flow.params), req);
  const req2 = await authorizationRequest(party, { extra: { ...FORM_POST, prompt: 'none' } });
  const { params } = await silentFormPost(t, browser, req2);
  checkFormPostSuccess(params, req2);
  const second = await redeem(party, formPostCallback(req2.redirectUri, params), req2);
  assert.equal(second.claims.sub, first.claims.sub, 'the same sub in both ID tokens');
});

// oidcc-codereuse (form_post variant). The suite: a code received by
// form_post, redeemed once, then again at once: 400, JSON, invalid_grant.
// Mirrored, and, as in basic-op, the first redemption's access token must
// then be refused at userinfo (RFC 6749 §4.1.2).
test('oidcc-codereuse (form_post)', async () => {
  const party = await oidf();
  const { req, flow } = await formPostFlow(party);
  const callback = () => formPostCallback(req.redirectUri, flow.params);
  checkFormPostSuccess(flow.params, req);
  const { tokens } = await redeem(party, callback(), req);
  await expectTokenError(party, client.authorizationCodeGrant(party.config, callback(), { expectedState: req.state, expectedNonce: req.nonce }), 'invalid_grant');
  const ui = await callUserInfo(party, tokens.access_token);
  assert.equal(ui.status, 401, `the first redemption's access token is revoked (userinfo ${ui.status})`);
});

// oidcc-ensure-registered-redirect-uri (form_post variant). The suite uses
// a redirect URI that is not registered, with response_mode=form_post: the
// OP must show an error page and never send anything to that URI (a POST
// arriving there fails the module). Mirrored: 400 HTML page, no redirect,
// no form whose action is the unregistered URI (nor the registered one),
// the unregistered URI not even written in the page.
test('oidcc-ensure-registered-redirect-uri (form_post)', async () => {
  const party = await oidf();
  const bad = `${CLIENTS.oidf.redirectUri}/${client.randomState().slice(0, 10)}`;
  const req = await authorizationRequest(party, { redirectUri: bad, extra: FORM_POST });
  const res = await new Browser().get(req.url.href);
  assert.equal(res.status, 400, `an error page for an unregistered redirect_uri (got ${res.status})`);
  assert.equal(res.location, null, 'no redirect');
  assert.match(res.headers.get('content-type') ?? '', /text\/html/, 'an HTML page');
  assert.ok(!res.body.includes(bad), 'the page does not contain the unregistered URI');
  assert.ok(!/<form\b[^>]*\baction=["']https?:\/\/localhost:9\//i.test(res.body), 'no form posts to the client');
});

// oidcc-ensure-request-with-valid-pkce-succeeds (form_post variant). The
// suite: code_challenge (S256) in the request, code_verifier in the token
// request; the flow must succeed. With form_post the code still arrives in
// the POST and redeems with the verifier. Mirrored.
test('oidcc-ensure-request-with-valid-pkce-succeeds (form_post)', async () => {
  const party = await oidf();
  const { req, flow } = await formPostFlow(party, { request: { pkce: true } });
  checkFormPostSuccess(flow.params, req);
  const { tokens } = await redeem(party, formPostCallback(req.redirectUri, flow.params), req);
  assert.ok(tokens.access_token);
});

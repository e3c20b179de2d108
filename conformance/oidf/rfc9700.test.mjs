// OAuth 2.0 Security Best Current Practice (RFC 9700): the items of §2
// ("Best Practices") and §4 ("Attacks and Mitigations") that an
// authorization server must meet and that can be tested from outside, one
// test per item, named `rfc9700-<item>`. Not OIDF modules, but checks in
// the same form (helpers in lib/suite.mjs; the report lists them with the
// modules). Items that concern clients or resource servers only (access
// token injection §4.6, client-side CSRF §4.7, in-browser communication
// §4.17, TLS proxies §4.13) are not here; TLS itself is not applicable to
// the http://localhost test issuer.
//
// Clients: oidf-client (PKCE optional, consent shown) and oidf-client2
// (another confidential client), e2e-basic (PKCE required), e2e-refresh
// (refresh tokens; its own client so that family revocation disturbs no
// other test), e2e-m2m (client_credentials), oidf-logout (post-logout URI).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  ISSUER,
  USER,
  CLIENTS,
  client,
  Browser,
  authorize,
  isRedirect,
  parseForms,
  relyingParty,
  server,
  authorizationRequest,
  runAuthorization,
  silentAuthorization,
  checkSuccessResponse,
  checkErrorResponse,
  redeem,
  codeFlow,
  callUserInfo,
  expectTokenError,
  checkTokenResponse,
  readFormPost,
  randomString,
  warn,
  note,
} from './lib/suite.mjs';

const REDIRECT = CLIENTS.oidf.redirectUri; // http://localhost:9/cb

/**
 * Sends an authorization request for `party` with `redirectUri` and
 * expects the OP to refuse it with its own page: no redirect at all (to
 * the given URI or anywhere), a 4xx HTML page.
 */
async function expectNoRedirect(url, what) {
  const browser = new Browser();
  const res = await browser.get(url.href);
  assert.equal(res.location, null, `${what}: no redirect (got ${res.status} -> ${res.location})`);
  assert.ok(res.status >= 400 && res.status < 500, `${what}: an error page (got ${res.status})`);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/, `${what}: an HTML page`);
  return res;
}

// rfc9700-exact-redirect-uri-matching (§2.1, §4.1.3). Authorization servers
// MUST compare redirect URIs with exact string matching (the only
// exception, the port of loopback redirect URIs of native apps, does not
// apply to this web client's localhost URI). Every variant of the
// registered http://localhost:9/cb must be refused with an error page,
// never redirected to: longer path, path prefix, added query, trailing
// slash, case of the path and of the host, other port, default port,
// userinfo, percent-encoded characters, dot segments, fragment, other
// scheme, the loopback address instead of the name. Control: the exact URI
// works.
test('rfc9700-exact-redirect-uri-matching', async (t) => {
  const party = await relyingParty('oidf');
  const variants = {
    'extra path segment': 'http://localhost:9/cb/x',
    'path prefix': 'http://localhost:9/cbx',
    'added query': 'http://localhost:9/cb?x=1',
    'empty query': 'http://localhost:9/cb?',
    'trailing slash': 'http://localhost:9/cb/',
    'path case': 'http://localhost:9/CB',
    'host case': 'http://LOCALHOST:9/cb',
    'other port': 'http://localhost:10/cb',
    'no port': 'http://localhost/cb',
    'userinfo': 'http://attacker@localhost:9/cb',
    'percent-encoded path': 'http://localhost:9/%63b',
    'encoded slash': 'http://localhost:9/cb%2F..%2Fx',
    'dot segments': 'http://localhost:9/x/../cb',
    'fragment': 'http://localhost:9/cb#x',
    'https scheme': 'https://localhost:9/cb',
    'loopback address': 'http://127.0.0.1:9/cb',
  };
  for (const [what, uri] of Object.entries(variants)) {
    const req = await authorizationRequest(party, { redirectUri: uri });
    await expectNoRedirect(req.url, `${what} (${uri})`);
  }
  const req = await authorizationRequest(party);
  const flow = await runAuthorization(new Browser(), req);
  checkSuccessResponse(flow.callbackUrl, req);
  note(t, `${Object.keys(variants).length} variants refused with an error page`);
});

// rfc9700-no-open-redirector (§4.11.2). The authorization server must not
// redirect to a URI it has not verified: an unknown client_id, a missing
// client_id, or an unregistered redirect_uri gives an error page whatever
// else is wrong with the request (the redirect URI is checked first:
// invalid response_type, prompt=none without a session); an error is
// redirected only to the registered URI. The end_session_endpoint with an
// unregistered post_logout_redirect_uri is the same (see the logout plan).
test('rfc9700-no-open-redirector', async (t) => {
  const party = await relyingParty('oidf');
  const evil = 'http://attacker.example/cb';
  const unknown = await authorizationRequest(party, { redirectUri: evil, extra: { client_id: `no-such-client-${randomString(6)}` } });
  await expectNoRedirect(unknown.url, 'unknown client_id');
  const unknownRegistered = await authorizationRequest(party, { extra: { client_id: `no-such-client-${randomString(6)}` } });
  await expectNoRedirect(unknownRegistered.url, 'unknown client_id with a URI registered for another client');
  const missing = await authorizationRequest(party, { redirectUri: evil, omit: ['client_id'] });
  await expectNoRedirect(missing.url, 'missing client_id');
  const badType = await authorizationRequest(party, { redirectUri: evil, extra: { response_type: 'token' } });
  await expectNoRedirect(badType.url, 'unregistered redirect_uri and unsupported response_type');
  const promptNone = await authorizationRequest(party, { redirectUri: evil, extra: { prompt: 'none' } });
  await expectNoRedirect(promptNone.url, 'unregistered redirect_uri and prompt=none without a session');
  const badScope = await authorizationRequest(party, { redirectUri: evil, omit: ['scope'] });
  await expectNoRedirect(badScope.url, 'unregistered redirect_uri and no scope');
  // Control: with the registered URI the error goes there, and only there.
  const registered = await authorizationRequest(party, { extra: { response_type: 'token' } });
  const res = await new Browser().get(registered.url.href);
  assert.ok(isRedirect(res), `an error for a registered URI is redirected (got ${res.status})`);
  const callbackUrl = new URL(res.location);
  assert.equal(callbackUrl.origin + callbackUrl.pathname, REDIRECT, 'the error goes to the registered redirect URI');
  checkErrorResponse(t, callbackUrl, registered, ['unsupported_response_type', 'invalid_request', 'unauthorized_client']);
});

// rfc9700-pkce-downgrade (§2.1.1, §4.8.2). Authorization servers MUST
// support PKCE, SHOULD publish code_challenge_methods_supported, MUST
// refuse a token request with code_verifier when the authorization request
// had no code_challenge (the downgrade), and MUST refuse a token request
// without code_verifier when it had one; S256 is the method to use (plain
// refused here, as OAuth 2.1 does). Checked with the PKCE-optional client
// (oidf-client), where a downgrade is possible at all.
test('rfc9700-pkce-downgrade', async (t) => {
  const { discovery } = await server();
  assert.ok(Array.isArray(discovery.code_challenge_methods_supported), 'discovery publishes code_challenge_methods_supported');
  assert.ok(discovery.code_challenge_methods_supported.includes('S256'), 'S256 is supported');
  assert.ok(!discovery.code_challenge_methods_supported.includes('plain'), 'plain is not advertised');
  const party = await relyingParty('oidf');

  // Challenge sent, no verifier at the token endpoint.
  const withChallenge = await authorizationRequest(party, { pkce: true });
  const flow1 = await runAuthorization(new Browser(), withChallenge);
  await expectTokenError(party, client.authorizationCodeGrant(party.config, flow1.callbackUrl, { expectedState: withChallenge.state, expectedNonce: withChallenge.nonce }), 'invalid_grant');

  // No challenge sent, a verifier at the token endpoint (§4.8.2).
  const withoutChallenge = await authorizationRequest(party);
  const flow2 = await runAuthorization(new Browser(), withoutChallenge);
  await expectTokenError(
    party,
    client.authorizationCodeGrant(party.config, flow2.callbackUrl, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: withoutChallenge.state, expectedNonce: withoutChallenge.nonce }),
    'invalid_grant',
  );

  // plain refused at the authorization endpoint.
  const verifier = client.randomPKCECodeVerifier();
  const plain = await authorizationRequest(party, { extra: { code_challenge: verifier, code_challenge_method: 'plain' } });
  checkErrorResponse(t, await silentAuthorization(new Browser(), plain), plain, ['invalid_request']);
});

// rfc9700-authorization-code-injection (§4.5.3, §2.1.1). A code must be
// bound to its client, its redirect URI and its PKCE challenge: a code
// issued to oidf-client is refused (invalid_grant) when redeemed with
// oidf-client2's credentials, with another redirect_uri, or with another
// code_verifier. Each attempt uses a fresh code; the control redeems one
// the right way.
test('rfc9700-authorization-code-injection', async () => {
  const victim = await relyingParty('oidf');
  const attacker = await relyingParty('oidf2');
  const code = async (pkce = false) => {
    const req = await authorizationRequest(victim, { pkce });
    const flow = await runAuthorization(new Browser(), req);
    checkSuccessResponse(flow.callbackUrl, req);
    return { req, flow };
  };

  const a = await code();
  await expectTokenError(attacker, client.authorizationCodeGrant(attacker.config, a.flow.callbackUrl, { expectedState: a.req.state, expectedNonce: a.req.nonce }), 'invalid_grant');

  const b = await code();
  const otherRedirect = new URL(b.flow.callbackUrl);
  otherRedirect.pathname = '/other-cb';
  await expectTokenError(victim, client.authorizationCodeGrant(victim.config, otherRedirect, { expectedState: b.req.state, expectedNonce: b.req.nonce }), 'invalid_grant');
  assert.equal(new URLSearchParams(victim.last('token_endpoint').requestBody).get('redirect_uri'), 'http://localhost:9/other-cb', 'the refused request carried the other redirect_uri');

  const c = await code(true);
  await expectTokenError(
    victim,
    client.authorizationCodeGrant(victim.config, c.flow.callbackUrl, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: c.req.state, expectedNonce: c.req.nonce }),
    'invalid_grant',
  );

  const d = await code(true);
  const { tokens } = await redeem(victim, d.flow.callbackUrl, d.req);
  assert.ok(tokens.access_token, 'control: the right client, redirect URI and verifier redeem the code');
});

// rfc9700-mix-up-defence (§4.4.2, §2.1). Clients tell authorization
// servers apart by the iss parameter of RFC 9207: the server advertises
// authorization_response_iss_parameter_supported and puts iss (its exact
// issuer) in every authorization response: success in the query, success
// by form_post, and errors (prompt=none without session, consent denied,
// unsupported response_type, PKCE plain).
test('rfc9700-mix-up-defence', async (t) => {
  const { discovery } = await server();
  assert.equal(discovery.authorization_response_iss_parameter_supported, true, 'discovery: authorization_response_iss_parameter_supported is true');
  const party = await relyingParty('oidf');
  const iss = (params, what) => assert.equal(params.get('iss'), ISSUER, `iss in the ${what} response`);

  const ok = await authorizationRequest(party);
  iss(checkSuccessResponse((await runAuthorization(new Browser(), ok)).callbackUrl, ok), 'success (query)');

  const fp = await authorizationRequest(party, { extra: { response_mode: 'form_post' } });
  const browser = new Browser();
  const flow = await runAuthorization(browser, fp);
  assert.equal(flow.formPost, true, 'form_post response');
  iss(readFormPost(t, browser.history.at(-1), fp.redirectUri).params, 'success (form_post)');

  const none = await authorizationRequest(party, { extra: { prompt: 'none' } });
  iss(checkErrorResponse(t, await silentAuthorization(new Browser(), none), none, ['login_required', 'interaction_required']), 'login_required');

  const denied = await authorizationRequest(party, { extra: { prompt: 'consent' } });
  const deniedFlow = await authorize(new Browser(), denied.url, { ...USER, redirectUri: denied.redirectUri, decision: 'deny' });
  assert.ok(deniedFlow.consentShown, 'the consent page was shown and denied');
  iss(checkErrorResponse(t, deniedFlow.callbackUrl, denied, ['access_denied']), 'access_denied');

  const badType = await authorizationRequest(party, { extra: { response_type: 'token' } });
  const res = await new Browser().get(badType.url.href);
  assert.ok(isRedirect(res), 'an unsupported response_type is answered at the redirect URI');
  iss(checkErrorResponse(t, new URL(res.location), badType, ['unsupported_response_type', 'invalid_request', 'unauthorized_client']), 'unsupported_response_type');
});

// rfc9700-refresh-token-rotation (§4.14.2, §2.2.2). Refresh tokens of
// confidential clients are sender-constrained by client authentication,
// or rotated: here they rotate, and when a refresh token that was already
// used is presented again, the authorization server cannot tell attacker
// from client and must revoke the active refresh token (the family): the
// replay is refused (invalid_grant) and the successor stops working too.
// The family's latest access token is also refused at userinfo (a warning
// if not: RFC 9700 leaves the access tokens to the server).
test('rfc9700-refresh-token-rotation', async (t) => {
  const party = await relyingParty('refresh');
  const { tokens } = await codeFlow(party, { request: { pkce: true, scope: 'openid offline_access' } });
  const rt1 = tokens.refresh_token;
  assert.equal(typeof rt1, 'string', 'a refresh token for offline_access');
  const t2 = await client.refreshTokenGrant(party.config, rt1);
  checkTokenResponse(party.last('token_endpoint'), t2, { idToken: false });
  assert.equal(typeof t2.refresh_token, 'string', 'the refresh response carries a new refresh token');
  assert.notEqual(t2.refresh_token, rt1, 'the refresh token rotated');
  assert.equal((await callUserInfo(party, t2.access_token)).status, 200, 'the new access token works before the replay');

  await expectTokenError(party, client.refreshTokenGrant(party.config, rt1), 'invalid_grant');
  await expectTokenError(party, client.refreshTokenGrant(party.config, t2.refresh_token), 'invalid_grant');
  const ui = await callUserInfo(party, t2.access_token);
  warn(t, ui.status === 401, `the family's latest access token still works after the replay (userinfo ${ui.status})`);
});

// rfc9700-refresh-token-client-binding (§4.14.2). A refresh token is bound
// to the client it was issued to: oidf-client2, authenticating with its
// own credentials, cannot use e2e-refresh's refresh token (invalid_grant,
// or unauthorized_client when the client may not refresh at all); the
// owner still can afterwards (the foreign attempt is not a replay).
test('rfc9700-refresh-token-client-binding', async () => {
  const owner = await relyingParty('refresh');
  const { tokens } = await codeFlow(owner, { request: { pkce: true, scope: 'openid offline_access' } });
  const other = await relyingParty('oidf2');
  let thrown;
  try {
    await client.refreshTokenGrant(other.config, tokens.refresh_token);
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown, "another client's credentials must not refresh the token");
  const exchange = other.last('token_endpoint');
  assert.equal(exchange.status, 400, `400 for another client's refresh token (got ${exchange.status})`);
  assert.ok(['invalid_grant', 'unauthorized_client'].includes(thrown.error), `invalid_grant or unauthorized_client (got ${thrown.error})`);
  const t2 = await client.refreshTokenGrant(owner.config, tokens.refresh_token);
  checkTokenResponse(owner.last('token_endpoint'), t2, { idToken: false });
});

/**
 * The HTML pages of the authorization server a person sees: sign-in,
 * consent, form_post, an error page, the logout confirmation and the
 * signed-out page. Returns [{what, res}].
 */
async function serverPages() {
  const pages = [];
  const party = await relyingParty('oidf');
  const browser = new Browser();
  const req = await authorizationRequest(party, { extra: { response_mode: 'form_post', prompt: 'consent' } });
  const flow = await runAuthorization(browser, req);
  assert.ok(flow.signInShown && flow.consentShown && flow.formPost, 'sign-in, consent and form_post pages were shown');
  for (const res of browser.history) {
    if (isRedirect(res) || res.method !== 'GET' && res.status !== 200) continue;
    const forms = parseForms(res.body, res.url);
    const what = forms.some((f) => f.inputs.some((i) => i.name === 'password'))
      ? 'sign-in page'
      : forms.some((f) => f.buttons.some((b) => b.value === 'approve'))
        ? 'consent page'
        : forms.some((f) => f.action === REDIRECT)
          ? 'form_post page'
          : `page ${res.url}`;
    pages.push({ what, res });
  }
  const bad = await authorizationRequest(party, { redirectUri: 'http://attacker.example/cb' });
  pages.push({ what: 'error page', res: await browser.get(bad.url.href) });
  const { discovery } = await server();
  const confirm = await browser.get(discovery.end_session_endpoint);
  pages.push({ what: 'logout confirmation page', res: confirm });
  const form = parseForms(confirm.body, confirm.url).find((f) => f.method === 'post');
  if (form) {
    const button = form.buttons.find((b) => b.name);
    pages.push({ what: 'signed-out page', res: await browser.follow(await browser.submit(form, button ? [[button.name, button.value]] : [])) });
  }
  pages.push({ what: 'not-found page', res: await browser.get(`${ISSUER}/no-such-page-${randomString(6)}`) });
  return pages.filter(({ res }) => /text\/html/.test(res.headers.get('content-type') ?? ''));
}

// rfc9700-referrer-policy (§4.2.4). Pages of the authorization server that
// may carry codes, states or other secrets in their URL (or links leaving
// them) must not leak them in the Referer header: a Referrer-Policy of
// no-referrer (or a strict one that sends at most the origin) on every
// page. Checked on every HTML page of a sign-in, consent, form_post,
// error and logout journey.
test('rfc9700-referrer-policy', async (t) => {
  const pages = await serverPages();
  assert.ok(pages.length >= 6, `the journey showed the expected pages (${pages.map((p) => p.what).join(', ')})`);
  const seen = new Set();
  for (const { what, res } of pages) {
    const policy = (res.headers.get('referrer-policy') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean).at(-1);
    assert.ok(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(policy), `${what}: Referrer-Policy no-referrer or strict (got ${policy ?? 'none'})`);
    seen.add(policy);
  }
  note(t, `Referrer-Policy ${[...seen].join(', ')} on ${pages.length} pages`);
});

// rfc9700-clickjacking (§4.16). The authorization server must prevent its
// pages from being framed by other origins: Content-Security-Policy
// frame-ancestors 'none' on every page (X-Frame-Options: DENY for older
// browsers: a warning if absent). Checked on the same pages.
test('rfc9700-clickjacking', async (t) => {
  const pages = await serverPages();
  for (const { what, res } of pages) {
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /(^|;)\s*frame-ancestors\s+'none'\s*(;|$)/, `${what}: CSP frame-ancestors 'none' (got ${csp || 'no CSP'})`);
    warn(t, (res.headers.get('x-frame-options') ?? '').toUpperCase() === 'DENY', `${what}: no X-Frame-Options: DENY`);
  }
  note(t, `frame-ancestors 'none' on ${pages.length} pages`);
});

// rfc9700-no-tokens-in-urls (§2.1.2, §4.3.2, §4.3.1). Access tokens must
// not travel in URLs: the authorization response of the code flow carries
// only code, state and iss (no token); the implicit and hybrid
// response_types that would put tokens in the fragment are refused (and
// not advertised); the UserInfo endpoint (the resource server) refuses an
// access token in the query string (RFC 6750 §2.3 is not supported), while
// the same token in the header works.
test('rfc9700-no-tokens-in-urls', async (t) => {
  const { discovery } = await server();
  const types = discovery.response_types_supported ?? [];
  for (const tt of types) assert.ok(!/\btoken\b/.test(tt), `no response_type issuing tokens from the authorization endpoint is advertised: ${tt}`);
  const party = await relyingParty('oidf');
  const { flow, tokens } = await codeFlow(party);
  const keys = [...flow.callbackUrl.searchParams.keys()].sort();
  assert.deepEqual(keys, ['code', 'iss', 'state'], `the authorization response carries code, state and iss only: ${flow.callbackUrl}`);
  assert.equal(flow.callbackUrl.hash, '', 'nothing in the fragment');

  for (const responseType of ['token', 'id_token token', 'code token', 'code id_token token']) {
    const req = await authorizationRequest(party, { extra: { response_type: responseType } });
    const res = await new Browser().get(req.url.href);
    if (isRedirect(res)) {
      const url = new URL(res.location);
      assert.ok(!/access_token|id_token/.test(url.search + url.hash), `${responseType}: no token in the redirect: ${url}`);
      checkErrorResponse(t, url, req, ['unsupported_response_type', 'invalid_request', 'unauthorized_client']);
    } else {
      assert.ok(res.status >= 400 && res.status < 500, `${responseType}: refused (got ${res.status})`);
    }
  }

  const url = new URL(discovery.userinfo_endpoint);
  url.searchParams.set('access_token', tokens.access_token);
  const inQuery = await fetch(url, { headers: { accept: 'application/json' } });
  await inQuery.arrayBuffer();
  assert.ok(inQuery.status === 401 || inQuery.status === 400, `userinfo refuses an access token in the query (got ${inQuery.status})`);
  assert.equal((await callUserInfo(party, tokens.access_token)).status, 200, 'control: the token works in the Authorization header');
});

// rfc9700-no-resource-owner-password-credentials (§2.4). The resource
// owner password credentials grant MUST NOT be used: grant_type=password
// is refused (unsupported_grant_type or unauthorized_client) even with
// alice's right password and a valid client, and neither password nor
// implicit is advertised in grant_types_supported.
test('rfc9700-no-resource-owner-password-credentials', async () => {
  const { discovery } = await server();
  for (const g of discovery.grant_types_supported ?? []) assert.ok(!['password', 'implicit'].includes(g), `grant_types_supported does not list ${g}`);
  const party = await relyingParty('oidf');
  let thrown;
  try {
    await client.genericGrantRequest(party.config, 'password', { username: USER.username, password: USER.password, scope: 'openid' });
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown, 'the password grant is refused');
  assert.equal(party.last('token_endpoint').status, 400, 'HTTP 400');
  assert.ok(['unsupported_grant_type', 'unauthorized_client'].includes(thrown.error), `unsupported_grant_type or unauthorized_client (got ${thrown.error})`);
});

// rfc9700-client-authentication (§2.5). Authorization servers should
// authenticate confidential clients: a code redeemed with a wrong client
// secret is refused with 401 invalid_client (RFC 6749 §5.2).
test('rfc9700-client-authentication', async () => {
  const party = await relyingParty('oidf');
  const req = await authorizationRequest(party);
  const flow = await runAuthorization(new Browser(), req);
  const wrong = await relyingParty('oidf', { secret: `wrong-${randomString(20)}` });
  await expectTokenError(wrong, client.authorizationCodeGrant(wrong.config, flow.callbackUrl, { expectedState: req.state, expectedNonce: req.nonce }), 'invalid_client', { status: 401 });
});

// rfc9700-client-impersonating-resource-owner (§4.15). A client must not be
// able to pass as a resource owner: an access token from the
// client_credentials grant (e2e-m2m, no user) is refused at the UserInfo
// endpoint, and its sub, if any, is not alice's.
test('rfc9700-client-impersonating-resource-owner', async () => {
  const m2m = await relyingParty('m2m');
  const tokens = await client.clientCredentialsGrant(m2m.config);
  checkTokenResponse(m2m.last('token_endpoint'), tokens, { idToken: false });
  const ui = await callUserInfo(m2m, tokens.access_token);
  assert.ok(ui.status === 401 || ui.status === 403, `userinfo refuses a client_credentials token (got ${ui.status}: ${ui.text.slice(0, 200)})`);
  const party = await relyingParty('oidf');
  const { claims } = await codeFlow(party, { userinfo: false });
  const parts = tokens.access_token.split('.');
  if (parts.length === 3) {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    assert.notEqual(payload.sub, claims.sub, "the client's token does not carry alice's sub");
  }
});

// rfc9700-access-token-privilege-restriction (§2.3). Access tokens should
// carry only the privileges the client asked for: with scope "openid
// email", the token response's scope (if any) has no other scope and
// userinfo returns no profile, address or phone claim.
test('rfc9700-access-token-privilege-restriction', async () => {
  const party = await relyingParty('oidf');
  const { tokens } = await codeFlow(party, { request: { scope: 'openid email' } });
  if (tokens.scope !== undefined) {
    for (const s of tokens.scope.split(' ')) assert.ok(['openid', 'email'].includes(s), `token scope has only what was asked: ${tokens.scope}`);
  }
  const ui = await callUserInfo(party, tokens.access_token);
  assert.equal(ui.status, 200);
  for (const c of ['name', 'given_name', 'family_name', 'preferred_username', 'address', 'phone_number']) assert.ok(!(c in ui.body), `userinfo has no ${c} for scope "openid email"`);
  assert.equal(ui.body.email, USER.email, 'the email claim is there');
});

// rfc9700-no-307-redirect (§4.12). A redirect answering a request that
// may carry the user's credentials (the sign-in POST, the consent POST)
// MUST NOT use 307 (the browser would re-POST the credentials to the
// client); 303 is recommended (302 allowed: a warning). Checked on every
// redirect answering a POST in a sign-in + consent journey.
test('rfc9700-no-307-redirect', async (t) => {
  const party = await relyingParty('oidf');
  const browser = new Browser();
  const req = await authorizationRequest(party, { extra: { prompt: 'consent' } });
  const flow = await runAuthorization(browser, req);
  assert.ok(flow.signInShown && flow.consentShown, 'the sign-in and consent pages were posted');
  const posts = browser.history.filter((r) => r.method === 'POST' && isRedirect(r));
  assert.ok(posts.length >= 2, `the sign-in and consent POSTs were answered by redirects (${posts.length})`);
  for (const r of posts) {
    assert.ok(r.status !== 307 && r.status !== 308, `POST ${r.url} answered ${r.status}`);
    warn(t, r.status === 303, `POST ${r.url} answered ${r.status}, not 303`);
  }
  note(t, `redirects after POST: ${[...new Set(posts.map((r) => r.status))].join(', ')}`);
});

// 8. Negative cases: the server must refuse, and refuse in the right way.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, USER, CLIENTS, REDIRECT_URI, rp, newRequest, client, rejectsWithOAuthError } from './lib/setup.mjs';
import { Browser, authorize, parseForms, parseAttributes, isSignInForm, isRedirect } from './lib/browser.mjs';

/** Runs the browser part of a code flow for client `name`; returns the request and the callback. */
async function getCode(name, { scope = 'openid', extra = {} } = {}) {
  const config = await rp(name);
  const redirectUri = CLIENTS[name].redirectUri;
  const req = await newRequest(config, { redirectUri, scope, extra });
  const flow = await authorize(new Browser(), req.url, { ...USER, redirectUri });
  assert.ok(flow.params.get('code'), `no code: ${flow.callbackUrl}`);
  return { config, req, flow };
}

test('token endpoint: wrong client secret gives 401 invalid_client', async () => {
  const { req, flow } = await getCode('basic');
  const wrong = await rp('basic', { secret: 'definitely-not-the-secret' });
  await rejectsWithOAuthError(
    client.authorizationCodeGrant(wrong, flow.callbackUrl, { pkceCodeVerifier: req.codeVerifier, expectedState: req.state, expectedNonce: req.nonce }),
    'invalid_client',
    { status: 401, message: 'code exchange with a wrong client secret' },
  );
});

test('token endpoint: wrong PKCE code_verifier gives invalid_grant', async () => {
  const { config, req, flow } = await getCode('basic');
  await rejectsWithOAuthError(
    client.authorizationCodeGrant(config, flow.callbackUrl, {
      pkceCodeVerifier: client.randomPKCECodeVerifier(),
      expectedState: req.state,
      expectedNonce: req.nonce,
    }),
    'invalid_grant',
    { message: 'code exchange with a wrong code_verifier' },
  );
});

test('token endpoint: a replayed code gives invalid_grant and revokes the tokens of the first redemption', async () => {
  const { config, req, flow } = await getCode('basic');
  const checks = { pkceCodeVerifier: req.codeVerifier, expectedState: req.state, expectedNonce: req.nonce };
  const first = await client.authorizationCodeGrant(config, flow.callbackUrl, checks);
  const userinfo = config.serverMetadata().userinfo_endpoint;
  const ok = await fetch(userinfo, { headers: { authorization: `Bearer ${first.access_token}` } });
  assert.equal(ok.status, 200, 'the first access token works before the replay');
  await ok.arrayBuffer();

  await rejectsWithOAuthError(client.authorizationCodeGrant(config, flow.callbackUrl, checks), 'invalid_grant', { message: 'second redemption of the same code' });

  const res = await fetch(userinfo, { headers: { authorization: `Bearer ${first.access_token}` } });
  await res.arrayBuffer();
  assert.equal(res.status, 401, 'userinfo rejects the access token of the first redemption after the replay');
  const challenge = res.headers.get('www-authenticate');
  assert.ok(challenge, 'a WWW-Authenticate header is sent');
  assert.match(challenge, /invalid_token/, `WWW-Authenticate names invalid_token: ${challenge}`);
});

test('authorization endpoint: an unregistered redirect_uri is not redirected to (400 page)', async () => {
  const config = await rp('basic');
  const req = await newRequest(config, { redirectUri: 'http://localhost:9/not-registered' });
  const res = await new Browser().get(req.url.href);
  assert.equal(res.status, 400, `status for an unregistered redirect_uri: ${res.status}`);
  assert.equal(res.location, null, `no Location header (got ${res.location})`);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/, 'an HTML error page');
});

test('authorization endpoint: response_type=token is refused with unsupported_response_type at the redirect URI', async () => {
  const config = await rp('basic');
  const url = new URL(config.serverMetadata().authorization_endpoint);
  const state = client.randomState();
  url.search = new URLSearchParams({
    client_id: CLIENTS.basic.id,
    response_type: 'token',
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    state,
    nonce: client.randomNonce(),
  }).toString();
  const res = await new Browser().get(url.href);
  assert.ok(isRedirect(res), `a redirect (got ${res.status}):\n${res.body.slice(0, 500)}`);
  const back = new URL(res.location);
  assert.equal(back.origin + back.pathname, REDIRECT_URI);
  // The error may travel in the query or, since response_type=token
  // defaults to the fragment mode, in the fragment.
  const params = new URLSearchParams(back.search);
  for (const [k, v] of new URLSearchParams(back.hash.slice(1))) params.append(k, v);
  assert.equal(params.get('error'), 'unsupported_response_type', `error at ${back}`);
  assert.equal(params.get('state'), state);
  assert.equal(params.get('iss'), ISSUER);
  assert.equal(params.get('access_token'), null);
});

test('sign-in: a wrong password re-renders the sign-in page, no code', async () => {
  const config = await rp('basic');
  const req = await newRequest(config, { redirectUri: REDIRECT_URI });
  const browser = new Browser();
  let res = await browser.follow(await browser.get(req.url.href), REDIRECT_URI);
  assert.equal(res.status, 200, 'the sign-in page');
  let form = parseForms(res.body, res.url).find(isSignInForm);
  assert.ok(form, 'the page has the sign-in form');

  res = await browser.submit(form, [
    ['username', USER.username],
    ['password', USER.password + '-wrong'],
  ]);
  assert.ok(res.status === 200 || res.status === 401, `wrong password: status ${res.status}, expected 200 or 401`);
  assert.equal(res.location, null, 'no redirect after a wrong password');
  form = parseForms(res.body, res.url).find(isSignInForm);
  assert.ok(form, 'the sign-in form is shown again');
  assert.ok(!browser.history.some((r) => r.location && r.location.startsWith(REDIRECT_URI)), 'the browser never went back to the client');

  // An unknown user gets the same treatment.
  res = await browser.submit(form, [
    ['username', 'nobody-' + client.randomState().slice(0, 8)],
    ['password', USER.password],
  ]);
  assert.ok(res.status === 200 || res.status === 401, `unknown user: status ${res.status}`);
  assert.equal(res.location, null);
});

test('response_mode=form_post delivers code, state and iss in an auto-submitting form', async () => {
  const config = await rp('basic');
  const req = await newRequest(config, { redirectUri: REDIRECT_URI, extra: { response_mode: 'form_post' } });
  const flow = await authorize(new Browser(), req.url, { ...USER, redirectUri: REDIRECT_URI });
  assert.equal(flow.formPost, true, 'the response came as a form_post page, not a redirect');
  assert.equal(flow.formPostForm.method, 'post');
  assert.equal(flow.formPostForm.action, REDIRECT_URI, 'the form posts to the redirect URI');
  // Auto-submission: an inline script or a script file that submits the form.
  const scripts = [];
  for (const m of flow.formPostPage.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const src = parseAttributes(m[1]).src;
    if (src) {
      const res = await fetch(new URL(src, flow.formPostPageUrl));
      assert.equal(res.status, 200, `script ${src} loads`);
      scripts.push(await res.text());
    } else {
      scripts.push(m[2]);
    }
  }
  const onload = /<body\b[^>]*\bonload=["'][^"']*submit/i.test(flow.formPostPage);
  assert.ok(onload || scripts.some((js) => /\.(request)?submit\s*\(/i.test(js)), 'the page submits the form by itself');
  assert.ok(flow.params.get('code'), 'code input');
  assert.equal(flow.params.get('state'), req.state, 'state input');
  assert.equal(flow.params.get('iss'), ISSUER, 'iss input');

  // openid-client accepts the form_post callback as a POST Request.
  const callback = new Request(REDIRECT_URI, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: flow.params.toString(),
  });
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: req.codeVerifier,
    expectedState: req.state,
    expectedNonce: req.nonce,
  });
  assert.equal(typeof tokens.id_token, 'string');
});

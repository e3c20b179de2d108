// PKCE as the OAuth 2.1 profile requires it (draft-ietf-oauth-v2-1 §4.1.1,
// §4.1.3, §7.5.1; RFC 7636): not modules of the OIDF OP plans, but checks
// in the same form, one test each. Clients: e2e-basic (PKCE required, the
// default) and oidf-client (PKCE optional: the server must still bind a
// code to a challenge that was sent). Helpers in lib/suite.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  client,
  Browser,
  relyingParty,
  server,
  authorizationRequest,
  runAuthorization,
  silentAuthorization,
  checkSuccessResponse,
  checkErrorResponse,
  checkTokenResponse,
  expectTokenError,
} from './lib/suite.mjs';

/** A code for `name` with a PKCE S256 challenge. */
async function codeWithChallenge(name) {
  const party = await relyingParty(name);
  const req = await authorizationRequest(party, { pkce: true });
  const flow = await runAuthorization(new Browser(), req);
  checkSuccessResponse(flow.callbackUrl, req);
  return { party, req, flow };
}

// pkce-verifier-required-when-challenge-sent. OAuth 2.1 §4.1.3: when the
// authorization request carried a code_challenge, the token request must
// carry the matching code_verifier. Checked with the PKCE-optional client
// (a challenge sent binds the code even where PKCE is not required) and
// the PKCE-required one: the redemption without code_verifier gives 400
// invalid_grant.
test('pkce-verifier-required-when-challenge-sent', async () => {
  for (const name of ['oidf', 'basic']) {
    const { party, req, flow } = await codeWithChallenge(name);
    await expectTokenError(party, client.authorizationCodeGrant(party.config, flow.callbackUrl, { expectedState: req.state, expectedNonce: req.nonce }), 'invalid_grant');
    const body = new URLSearchParams(party.last('token_endpoint').requestBody);
    assert.equal(body.has('code_verifier'), false, `${name}: the refused request had no code_verifier`);
  }
});

// pkce-wrong-verifier-refused. RFC 7636 §4.6: a code_verifier whose S256
// hash is not the challenge gives 400 invalid_grant (both clients); the
// right verifier works on a fresh code (control).
test('pkce-wrong-verifier-refused', async () => {
  for (const name of ['oidf', 'basic']) {
    const { party, req, flow } = await codeWithChallenge(name);
    await expectTokenError(
      party,
      client.authorizationCodeGrant(party.config, flow.callbackUrl, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: req.state, expectedNonce: req.nonce }),
      'invalid_grant',
    );
  }
  const { party, req, flow } = await codeWithChallenge('basic');
  const tokens = await client.authorizationCodeGrant(party.config, flow.callbackUrl, { pkceCodeVerifier: req.codeVerifier, expectedState: req.state, expectedNonce: req.nonce });
  checkTokenResponse(party.last('token_endpoint'), tokens);
});

// pkce-plain-refused. OAuth 2.1 §4.1.1: S256 only; the plain method gives
// invalid_request at the redirect URI (with state and iss, no code), for
// both clients; discovery lists S256 only.
test('pkce-plain-refused', async (t) => {
  const { discovery } = await server();
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256'], 'only S256 is advertised');
  for (const name of ['oidf', 'basic']) {
    const party = await relyingParty(name);
    const verifier = client.randomPKCECodeVerifier();
    const req = await authorizationRequest(party, { extra: { code_challenge: verifier, code_challenge_method: 'plain' } });
    const callbackUrl = await silentAuthorization(new Browser(), req);
    checkErrorResponse(t, callbackUrl, req, ['invalid_request']);
  }
});

// pkce-missing-challenge-refused-when-required. OAuth 2.1 §4.1.1 / §7.5.1:
// a client that must use PKCE (e2e-basic: the default policy) is refused an
// authorization request without code_challenge: invalid_request at the
// redirect URI, with state and iss, no code, before any page is shown.
// Controls: the same client with a challenge gets its code (so the missing
// challenge is what was refused), and the PKCE-optional client gets one
// without.
test('pkce-missing-challenge-refused-when-required', async (t) => {
  const party = await relyingParty('basic');
  const req = await authorizationRequest(party);
  const callbackUrl = await silentAuthorization(new Browser(), req);
  checkErrorResponse(t, callbackUrl, req, ['invalid_request']);

  const withChallenge = await authorizationRequest(party, { pkce: true });
  const flow1 = await runAuthorization(new Browser(), withChallenge);
  checkSuccessResponse(flow1.callbackUrl, withChallenge);

  const optional = await relyingParty('oidf');
  const req2 = await authorizationRequest(optional);
  const flow2 = await runAuthorization(new Browser(), req2);
  checkSuccessResponse(flow2.callbackUrl, req2);
});

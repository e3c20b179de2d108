// 2. and 3. Authorization code flow with PKCE, for client_secret_basic and
// client_secret_post clients.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, USER, CLIENTS, signIn, client, jwtHeader, jwtPayload, atHash, verifyWithJwks } from './lib/setup.mjs';

test('code flow + PKCE (client_secret_basic): verified ID token, stable sub, userinfo claims', async () => {
  const first = await signIn('basic', { scope: 'openid profile email' });
  const { tokens, claims, flow, req } = first;

  // What the browser went through.
  assert.ok(flow.signInShown, 'the sign-in page was shown');
  assert.ok(flow.consentShown, 'the consent page was shown (client not added with --skip-consent)');
  assert.equal(flow.formPost, false);
  assert.equal(flow.redirectStatus, 303, 'the final redirect to the client is a 303');
  assert.equal(flow.params.get('state'), req.state);
  assert.equal(flow.params.get('iss'), ISSUER);

  // Token response.
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(typeof tokens.access_token, 'string');
  assert.equal(typeof tokens.id_token, 'string');
  if (tokens.expires_in !== undefined) assert.ok(tokens.expires_in > 0, 'expires_in is positive');

  // ID token: signature (checked by openid-client's non-repudiation checks,
  // and again here with jose against the JWKS), claims.
  const header = jwtHeader(tokens.id_token);
  assert.equal(header.alg, 'ES256', 'ID tokens are ES256 by default');
  assert.equal(typeof header.kid, 'string', 'ID token header has a kid');
  await verifyWithJwks(tokens.id_token, { audience: CLIENTS.basic.id });

  const now = Math.floor(Date.now() / 1000);
  assert.equal(claims.iss, ISSUER);
  assert.ok([claims.aud].flat().includes(CLIENTS.basic.id), 'aud contains the client_id');
  assert.equal(claims.nonce, req.nonce, 'nonce round-trips');
  assert.equal(typeof claims.sub, 'string');
  assert.ok(claims.sub.length > 0);
  assert.equal(typeof claims.auth_time, 'number', 'auth_time is present');
  assert.ok(claims.auth_time <= now + 5 && claims.auth_time > now - 300, `auth_time ${claims.auth_time} is recent (now ${now})`);
  assert.ok(claims.exp > now, 'exp is in the future');
  assert.equal(claims.at_hash, atHash(tokens.access_token), 'at_hash matches the access token');
  assert.equal(typeof claims.sid, 'string', 'sid is present');
  assert.ok(claims.sid.length > 0);
  assert.ok(Array.isArray(claims.amr) && claims.amr.includes('pwd'), `amr contains pwd: ${JSON.stringify(claims.amr)}`);

  // Access token: a JWT (RFC 9068) for this client and user.
  assert.match(jwtHeader(tokens.access_token).typ ?? '', /^(application\/)?at\+jwt$/i);
  const at = jwtPayload(tokens.access_token);
  assert.equal(at.iss, ISSUER);
  assert.equal(at.sub, claims.sub);
  assert.equal(at.client_id, CLIENTS.basic.id);

  // UserInfo: openid-client checks that its sub equals the ID token's.
  const info = await client.fetchUserInfo(first.config, tokens.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);
  assert.equal(info.email, USER.email);
  assert.equal(info.given_name, USER.givenName);
  assert.equal(info.family_name, USER.familyName);

  // A second, independent sign-in (new browser) yields the same sub.
  const second = await signIn('basic', { scope: 'openid profile email' });
  assert.ok(second.flow.signInShown, 'the new browser had to sign in');
  assert.equal(second.claims.sub, claims.sub, 'sub is stable across sign-ins');
  assert.notEqual(second.tokens.access_token, tokens.access_token);
});

test('code flow + PKCE (client_secret_post, --skip-consent): tokens and userinfo', async () => {
  const { tokens, claims, flow, config } = await signIn('post', { scope: 'openid email' });
  assert.ok(flow.signInShown, 'the sign-in page was shown');
  assert.equal(flow.consentShown, false, 'no consent page for a --skip-consent client');
  assert.ok([claims.aud].flat().includes(CLIENTS.post.id));
  assert.equal(jwtHeader(tokens.id_token).alg, 'ES256');
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, USER.email);
  assert.equal(jwtPayload(tokens.access_token).client_id, CLIENTS.post.id);
});

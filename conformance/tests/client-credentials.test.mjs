// 5. client_credentials grant, introspection and revocation of the access token.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, CLIENTS, rp, client, jwtHeader, verifyWithJwks } from './lib/setup.mjs';

test('client_credentials: JWT access token (at+jwt), introspection, revocation', async () => {
  const config = await rp('m2m');
  const tokens = await client.clientCredentialsGrant(config);
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.id_token, undefined, 'no ID token for client_credentials');
  assert.equal(tokens.refresh_token, undefined, 'no refresh token for client_credentials');

  const at = tokens.access_token;
  const header = jwtHeader(at);
  assert.match(header.typ ?? '', /^(application\/)?at\+jwt$/i, `typ header is at+jwt (RFC 9068), got ${header.typ}`);
  assert.equal(typeof header.kid, 'string', 'access token header has a kid');
  const { payload } = await verifyWithJwks(at, { typ: header.typ });
  const now = Math.floor(Date.now() / 1000);
  assert.equal(payload.iss, ISSUER);
  assert.equal(payload.client_id, CLIENTS.m2m.id);
  assert.ok(payload.exp > now, 'exp in the future');
  assert.equal(typeof payload.iat, 'number');
  assert.equal(typeof payload.jti, 'string');
  assert.ok(payload.aud !== undefined, 'aud present (RFC 9068)');
  assert.ok(payload.sub !== undefined, 'sub present (RFC 9068)');

  const active = await client.tokenIntrospection(config, at);
  assert.equal(active.active, true, 'introspection says active');
  assert.equal(active.client_id, CLIENTS.m2m.id, 'introspection gives the client_id');

  await client.tokenRevocation(config, at);

  const revoked = await client.tokenIntrospection(config, at);
  assert.equal(revoked.active, false, 'introspection says inactive after revocation');
});

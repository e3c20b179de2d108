// 1. Discovery document and JWKS.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, CLIENTS, rp } from './lib/setup.mjs';

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

test('discovery: metadata is present and consistent, JWKS holds only public keys', async () => {
  const res = await fetch(`${ISSUER}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const meta = await res.json();

  assert.equal(meta.issuer, ISSUER, 'issuer equals the public URL');
  for (const field of [
    'authorization_endpoint',
    'token_endpoint',
    'userinfo_endpoint',
    'jwks_uri',
    'revocation_endpoint',
    'introspection_endpoint',
    'end_session_endpoint',
  ]) {
    assert.equal(typeof meta[field], 'string', `${field} is present`);
    const u = new URL(meta[field]);
    assert.ok(u.href.startsWith(ISSUER + '/'), `${field} (${u.href}) lives under the issuer`);
  }
  const endpoints = new Set([
    meta.authorization_endpoint,
    meta.token_endpoint,
    meta.userinfo_endpoint,
    meta.jwks_uri,
    meta.revocation_endpoint,
    meta.introspection_endpoint,
    meta.end_session_endpoint,
  ]);
  assert.equal(endpoints.size, 7, 'all endpoints are distinct');

  assert.ok(Array.isArray(meta.response_types_supported) && meta.response_types_supported.includes('code'), 'code in response_types_supported');
  assert.ok(Array.isArray(meta.code_challenge_methods_supported) && meta.code_challenge_methods_supported.includes('S256'), 'S256 in code_challenge_methods_supported');
  for (const alg of ['ES256', 'RS256']) {
    assert.ok(meta.id_token_signing_alg_values_supported?.includes(alg), `${alg} in id_token_signing_alg_values_supported`);
  }
  assert.equal(meta.authorization_response_iss_parameter_supported, true, 'authorization_response_iss_parameter_supported');
  assert.ok(meta.subject_types_supported?.includes('public'), 'public in subject_types_supported');
  assert.ok(meta.subject_types_supported?.includes('pairwise'), 'pairwise in subject_types_supported');
  if (meta.scopes_supported !== undefined) assert.ok(meta.scopes_supported.includes('openid'), 'openid in scopes_supported');

  const jwksRes = await fetch(meta.jwks_uri);
  assert.equal(jwksRes.status, 200);
  const jwks = await jwksRes.json();
  assert.ok(Array.isArray(jwks.keys) && jwks.keys.length >= 1, 'JWKS has at least one key');
  const kids = new Set();
  for (const key of jwks.keys) {
    assert.equal(typeof key.kid, 'string', `key has a kid: ${JSON.stringify(key)}`);
    assert.ok(key.kid.length > 0);
    assert.ok(!kids.has(key.kid), `kid ${key.kid} is unique`);
    kids.add(key.kid);
    assert.equal(typeof key.kty, 'string', 'key has a kty');
    for (const m of PRIVATE_JWK_MEMBERS) {
      assert.ok(!(m in key), `key ${key.kid} must not expose the private member "${m}"`);
    }
  }
  assert.ok(jwks.keys.some((k) => k.kty === 'EC' && (k.alg === undefined || k.alg === 'ES256')), 'an EC key for ES256 is published');

  // openid-client's own discovery accepts the document (issuer check etc.).
  const config = await rp('basic');
  assert.equal(config.serverMetadata().issuer, ISSUER);
  assert.equal(config.clientMetadata().client_id, CLIENTS.basic.id);
  assert.ok(config.serverMetadata().supportsPKCE());
});

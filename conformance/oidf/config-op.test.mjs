// The OpenID Foundation's Config OP plan (oidcc-config-certification-test-plan,
// discovery, static client), and the two modules of the config profile this
// file also covers: oidcc-discovery-issuer-not-matching-config and
// oidcc-idtoken-rs256. One test per module, named after it; helpers in
// lib/suite.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import * as jose from 'jose';
import { ISSUER, DISCOVERY_URL, CLIENTS, client, jwtHeader, relyingParty, server, codeFlow, discoveryEndpointVerification } from './lib/suite.mjs';

/** GET http://127.0.0.1:<port><path> with the given Host header. */
function getWithHost(port, path, host) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// oidcc-discovery-endpoint-verification (OP-Discovery-*), static client
// variant: the checks are in lib/suite.mjs (discoveryEndpointVerification).
test('oidcc-discovery-endpoint-verification', async (t) => {
  await discoveryEndpointVerification(t, DISCOVERY_URL);
});

// oidcc-discovery-issuer-not-matching-config. Not a module of the OIDF OP
// suite: the name is the config profile's relying-party test
// (rp-discovery-issuer-not-matching-config, OIDCCClientTestDiscoveryIssuerMismatch
// in the RP suite): a relying party must refuse a provider whose discovery
// issuer differs from the URL it used (OIDC Discovery §4.3). Its OP side is
// CheckDiscEndpointIssuer of oidcc-discovery-endpoint-verification plus
// ValidateIdToken's iss check. Mirrored from both sides: the issuer is the
// configured one whatever the Host header (an OP that echoed the Host
// would let a mismatched configuration look right); openid-client, a
// certified RP, refuses Trame's document when it expected another issuer
// (reached at 127.0.0.1), and accepts it at the real one; ID tokens carry
// exactly that issuer.
test('oidcc-discovery-issuer-not-matching-config', async () => {
  const { discovery } = await server();
  assert.equal(discovery.issuer, ISSUER, 'the discovery issuer is the configured issuer');

  const port = new URL(ISSUER).port;
  const viaIp = `http://127.0.0.1:${port}`;
  // Other Host headers (fetch cannot set Host: node:http can).
  for (const host of [`127.0.0.1:${port}`, 'evil.example', `evil.example:${port}`]) {
    const { status, body } = await getWithHost(port, '/.well-known/openid-configuration', host);
    if (status === 200) {
      assert.equal(JSON.parse(body).issuer, ISSUER, `Host: ${host}: the document still names the configured issuer`);
    } else {
      assert.equal(status, 404, `Host: ${host}: the configured issuer's document or 404 (got ${status})`);
    }
  }
  // A relying party that expected http://127.0.0.1:<port> must stop.
  let thrown;
  try {
    await client.discovery(new URL(viaIp), CLIENTS.oidf.id, undefined, client.ClientSecretBasic(CLIENTS.oidf.secret), { execute: [client.allowInsecureRequests] });
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown, 'openid-client refuses a configuration whose issuer does not match the URL it was fetched from');
  const ipStatus = (await getWithHost(port, '/.well-known/openid-configuration', `127.0.0.1:${port}`)).status;
  if (ipStatus === 200) {
    assert.equal(thrown.code, 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED', `refused for the issuer mismatch: ${thrown.message}`);
  }

  const party = await relyingParty('oidf');
  assert.equal(party.config.serverMetadata().issuer, ISSUER, 'openid-client accepts the real issuer');
  const { claims } = await codeFlow(party);
  assert.equal(claims.iss, ISSUER, 'the ID token iss matches the discovered issuer');
});

// oidcc-idtoken-rs256 (OP-IDToken-RS256, OP-IDToken-kid). The suite
// registers a client with id_token_signed_response_alg=RS256 (dynamic
// registration only: with a static client the suite marks the module not
// applicable) and runs the normal flow, requiring a kid in the ID token
// header (EnsureIdTokenContainsKid) and the RS256 algorithm
// (CheckIdTokenSignatureAlgorithm), signature verified against the JWKS.
// Mirrored with oidf-rs256, registered by the CLI with --id-token-alg
// RS256, which is what the module's registration request asks for.
test('oidcc-idtoken-rs256', async () => {
  const { discovery, jwks } = await server();
  assert.ok(discovery.id_token_signing_alg_values_supported.includes('RS256'), 'RS256 is advertised');
  const party = await relyingParty('oidfRs256');
  const { tokens } = await codeFlow(party);
  const header = jwtHeader(tokens.id_token);
  assert.equal(header.alg, 'RS256', 'the ID token is RS256');
  assert.equal(typeof header.kid, 'string', 'the ID token header has a kid');
  const key = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(key, 'the kid names a published key');
  assert.equal(key.kty, 'RSA', 'an RSA key');
});

// oidcc-userinfo-rs256 (OP-UserInfo-RS256). The suite registers a client
// with userinfo_signed_response_alg=RS256, runs the code flow and calls the
// UserInfo endpoint: the answer must be a JWT (application/jwt) signed RS256
// with a key of the server's JWKS, whose sub is the ID token's (and, per
// OIDC Core 5.3.2, with iss and aud). Mirrored with oidf-userinfo-rs256,
// registered by the CLI with --userinfo-alg RS256; openid-client then reads
// the signed answer itself.
test('oidcc-userinfo-rs256', async () => {
  const { discovery } = await server();
  assert.ok((discovery.userinfo_signing_alg_values_supported ?? []).includes('RS256'), 'RS256 is advertised for UserInfo');
  const party = await relyingParty('oidfUserinfoRs256');
  const { tokens, claims } = await codeFlow(party, { userinfo: false });
  const res = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/jwt\b/, 'a signed UserInfo response');
  const jwt = await res.text();
  const jwks = jose.createRemoteJWKSet(new URL(discovery.jwks_uri));
  const { payload, protectedHeader } = await jose.jwtVerify(jwt, jwks, { algorithms: ['RS256'], issuer: ISSUER, audience: CLIENTS.oidfUserinfoRs256.id });
  assert.equal(protectedHeader.alg, 'RS256');
  assert.equal(payload.sub, claims.sub, 'the same subject as the ID token');
  // And the certified client library accepts it.
  const info = await client.fetchUserInfo(party.config, tokens.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);
});

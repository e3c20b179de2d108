// The building blocks of the Dynamic OP plan mirror (dynamic-op.test.mjs):
// the relying party's own web server (its jwks_uri and its sector
// identifier document, which the OP fetches), RS256 key pairs the RP can
// rotate, dynamic registration (OIDCCCreateDynamicClientRegistrationRequest,
// CallDynamicRegistrationEndpoint) and openid-client configurations for the
// registered clients, on a tenant of its own (TRAME_E2E_DYN_ISSUER).

import assert from 'node:assert/strict';
import http from 'node:http';
import * as client from 'openid-client';
import * as jose from 'jose';
import { REDIRECT_URI } from '../../tests/lib/setup.mjs';
import { recordExchanges } from './suite.mjs';

export const DYN_ISSUER = process.env.TRAME_E2E_DYN_ISSUER;
export const DYN_TOKEN_ISSUER = process.env.TRAME_E2E_DYN_TOKEN_ISSUER;
export const INITIAL_ACCESS_TOKEN = process.env.TRAME_E2E_INITIAL_ACCESS_TOKEN;
export const TRAME_BIN = process.env.TRAME_E2E_BIN;
export { REDIRECT_URI };

/** An RS256 key pair (GenerateRS256ClientJWKsWithKeyID): public JWK with kid. */
export async function rs256Key() {
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const kid = crypto.randomUUID();
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, jwk };
}

/**
 * The RP's web server on 127.0.0.1: serves /jwks (the current public keys),
 * /redirect_uris.json (the sector identifier document) and /request.jwt
 * (`requestObject`, a request_uri's Request Object), counting the OP's
 * fetches, and takes back-channel logout notifications at
 * /backchannel_logout (answering `backchannelStatus`).
 */
export async function rpServer() {
  const state = { jwks: { keys: [] }, sector: [], requestObject: '', fetches: { jwks: 0, sector: 0, request: 0 }, backchannel: [], backchannelStatus: 200 };
  const srv = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/backchannel_logout') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        state.backchannel.push({ headers: req.headers, body });
        res.writeHead(state.backchannelStatus, { 'cache-control': 'no-store' });
        res.end();
      });
      return;
    }
    const send = (body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/jwks') {
      state.fetches.jwks++;
      return send(state.jwks);
    }
    if (req.url === '/redirect_uris.json') {
      state.fetches.sector++;
      return send(state.sector);
    }
    if (req.url === '/request.jwt') {
      state.fetches.request++;
      res.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' });
      return res.end(state.requestObject);
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${srv.address().port}`;
  srv.unref();
  return { state, base, jwksUri: `${base}/jwks`, sectorUri: `${base}/redirect_uris.json`, requestUri: `${base}/request.jwt`, backchannelUri: `${base}/backchannel_logout`, close: () => srv.close() };
}

let metadataCache = new Map();

/** The tenant's discovery document (GetDynamicServerConfiguration). */
export async function dynServer(issuer = DYN_ISSUER) {
  if (!metadataCache.has(issuer)) {
    metadataCache.set(
      issuer,
      (async () => {
        const config = await client.discovery(new URL(issuer), 'discovery-only', undefined, undefined, { execute: [client.allowInsecureRequests] });
        const discovery = config.serverMetadata();
        assert.equal(typeof discovery.registration_endpoint, 'string', 'discovery has registration_endpoint');
        return discovery;
      })(),
    );
  }
  return metadataCache.get(issuer);
}

/**
 * The suite's base registration request (OIDCCCreateDynamicClientRegistrationRequest
 * for response_type=code and private_key_jwt): client_name, redirect_uris,
 * grant_types, response_types, token_endpoint_auth_method, and the public
 * keys by value (AddPublicJwksToDynamicRegistrationRequest), plus `extra`.
 */
export function registrationRequest(key, extra = {}) {
  return {
    client_name: `trame conformance ${crypto.randomUUID().slice(0, 8)}`,
    redirect_uris: [REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [key.jwk] },
    ...extra,
  };
}

/**
 * POSTs a registration request (CallDynamicRegistrationEndpoint) and
 * returns the raw answer.
 */
export async function register(body, { issuer = DYN_ISSUER, initialAccessToken } = {}) {
  const { registration_endpoint } = await dynServer(issuer);
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (initialAccessToken) headers.authorization = `Bearer ${initialAccessToken}`;
  const res = await fetch(registration_endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, body: json, text };
}

/**
 * A successful registration (EnsureContentTypeJson, EnsureHttpStatusCodeIs201,
 * ExtractDynamicRegistrationResponse): every metadata value sent comes back
 * as sent, a client_id is issued.
 */
export function checkRegistered(res, sent) {
  assert.equal(res.status, 201, `registration answers 201 (got ${res.status}: ${res.text.slice(0, 300)})`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/, 'the registration response is JSON');
  assert.ok(res.headers.get('cache-control')?.includes('no-store'), 'Cache-Control: no-store (RFC 7591 §3.2.1)');
  const r = res.body;
  assert.equal(typeof r.client_id, 'string', 'a client_id is issued');
  for (const [k, v] of Object.entries(sent)) {
    if (k === 'client_name' || k === 'jwks') continue;
    assert.deepEqual(r[k], v, `${k} is registered as sent`);
  }
  assert.equal(r.client_name, sent.client_name);
  return r;
}

/**
 * An openid-client Configuration for a registered client, authenticating
 * with private_key_jwt under `key` (or the secret the OP issued), recording
 * its HTTP exchanges (suite.mjs recordExchanges).
 */
export async function dynamicParty(registered, key, issuer = DYN_ISSUER) {
  const discovery = await dynServer(issuer);
  const auth = registered.token_endpoint_auth_method === 'private_key_jwt' ? client.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }) : client.ClientSecretBasic(registered.client_secret);
  const config = new client.Configuration(discovery, registered.client_id, registered, auth);
  client.allowInsecureRequests(config);
  client.enableNonRepudiationChecks(config);
  const party = {
    name: registered.client_name,
    client: { id: registered.client_id, redirectUri: registered.redirect_uris[0], idTokenAlg: registered.id_token_signed_response_alg, auth: registered.token_endpoint_auth_method },
    config,
    ...recordExchanges(config),
    issuer,
    key,
  };
  return party;
}

/** UnregisterDynamicallyRegisteredClient (the suite's clean-up): RFC 7592 DELETE. */
export async function unregister(registered) {
  const res = await fetch(registered.registration_client_uri, { method: 'DELETE', headers: { authorization: `Bearer ${registered.registration_access_token}` } });
  assert.equal(res.status, 204, `the registration is deleted (got ${res.status})`);
}

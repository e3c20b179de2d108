// Shared configuration of the end-to-end tests: what run.sh set up (through
// environment variables) and the openid-client plumbing around it.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import * as jose from 'jose';
import { Browser, authorize } from './browser.mjs';

function required(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`environment variable ${name} is not set: run the suite through conformance/run.sh`);
  }
  return v;
}

export const ISSUER = required('TRAME_E2E_ISSUER');
export const USER = {
  username: required('TRAME_E2E_USERNAME'),
  password: required('TRAME_E2E_PASSWORD'),
  email: required('TRAME_E2E_EMAIL'),
  givenName: required('TRAME_E2E_GIVEN_NAME'),
  familyName: required('TRAME_E2E_FAMILY_NAME'),
  phone: required('TRAME_E2E_PHONE'),
  address: {
    street_address: required('TRAME_E2E_STREET'),
    locality: required('TRAME_E2E_LOCALITY'),
    postal_code: required('TRAME_E2E_POSTAL_CODE'),
    country: required('TRAME_E2E_COUNTRY'),
  },
};
export const REDIRECT_URI = required('TRAME_E2E_REDIRECT_URI');
export const PAIRWISE_REDIRECT_URI = required('TRAME_E2E_PAIRWISE_REDIRECT_URI');
export const POST_LOGOUT_REDIRECT_URI = required('TRAME_E2E_POST_LOGOUT_REDIRECT_URI');

/**
 * The clients run.sh registered. `auth` is the client authentication method,
 * `redirectUri` the registered redirect URI.
 */
export const CLIENTS = {
  // client_secret_basic, consent page shown, post-logout redirect registered
  basic: { id: required('TRAME_E2E_BASIC_CLIENT_ID'), secret: required('TRAME_E2E_BASIC_CLIENT_SECRET'), auth: 'client_secret_basic', redirectUri: REDIRECT_URI },
  // client_secret_post, --skip-consent, post-logout redirect registered
  post: { id: required('TRAME_E2E_POST_CLIENT_ID'), secret: required('TRAME_E2E_POST_CLIENT_SECRET'), auth: 'client_secret_post', redirectUri: REDIRECT_URI },
  // client_secret_basic, --skip-consent, used by the refresh-token tests only
  refresh: { id: required('TRAME_E2E_REFRESH_CLIENT_ID'), secret: required('TRAME_E2E_REFRESH_CLIENT_SECRET'), auth: 'client_secret_basic', redirectUri: REDIRECT_URI },
  // client_credentials only
  m2m: { id: required('TRAME_E2E_M2M_CLIENT_ID'), secret: required('TRAME_E2E_M2M_CLIENT_SECRET'), auth: 'client_secret_basic', redirectUri: REDIRECT_URI },
  // --subject-type pairwise, redirect URI on 127.0.0.1 instead of localhost
  pairwise: { id: required('TRAME_E2E_PAIRWISE_CLIENT_ID'), secret: required('TRAME_E2E_PAIRWISE_CLIENT_SECRET'), auth: 'client_secret_basic', redirectUri: PAIRWISE_REDIRECT_URI },
  // The static clients of the OIDF plans (oidf/): --pkce optional, as the
  // certification suite sends no PKCE outside the PKCE module.
  // client_secret_basic, consent page shown: the suite's "client"
  oidf: { id: required('TRAME_E2E_OIDF_CLIENT_ID'), secret: required('TRAME_E2E_OIDF_CLIENT_SECRET'), auth: 'client_secret_basic', redirectUri: REDIRECT_URI },
  // the same set-up: the suite's "client2" (refresh-token binding)
  oidf2: { id: required('TRAME_E2E_OIDF2_CLIENT_ID'), secret: required('TRAME_E2E_OIDF2_CLIENT_SECRET'), auth: 'client_secret_basic', redirectUri: REDIRECT_URI },
  // client_secret_post (oidcc-server-client-secret-post)
  oidfPost: { id: required('TRAME_E2E_OIDF_POST_CLIENT_ID'), secret: required('TRAME_E2E_OIDF_POST_CLIENT_SECRET'), auth: 'client_secret_post', redirectUri: REDIRECT_URI },
  // --id-token-alg RS256 (oidcc-idtoken-rs256)
  oidfRs256: { id: required('TRAME_E2E_OIDF_RS256_CLIENT_ID'), secret: required('TRAME_E2E_OIDF_RS256_CLIENT_SECRET'), auth: 'client_secret_basic', redirectUri: REDIRECT_URI, idTokenAlg: 'RS256' },
  // --userinfo-alg RS256 (oidcc-userinfo-rs256)
  oidfUserinfoRs256: { id: required('TRAME_E2E_OIDF_USERINFO_RS256_CLIENT_ID'), secret: required('TRAME_E2E_OIDF_USERINFO_RS256_CLIENT_SECRET'), auth: 'client_secret_basic', redirectUri: REDIRECT_URI, userinfoAlg: 'RS256' },
  // oidf-client's set-up plus a registered post-logout redirect URI (the
  // RP-Initiated Logout plan's static client)
  oidfLogout: { id: required('TRAME_E2E_OIDF_LOGOUT_CLIENT_ID'), secret: required('TRAME_E2E_OIDF_LOGOUT_CLIENT_SECRET'), auth: 'client_secret_basic', redirectUri: REDIRECT_URI, postLogoutRedirectUri: POST_LOGOUT_REDIRECT_URI },
};

function clientAuth(c, secret) {
  switch (c.auth) {
    case 'client_secret_basic':
      return client.ClientSecretBasic(secret);
    case 'client_secret_post':
      return client.ClientSecretPost(secret);
    default:
      throw new Error(`unknown auth method ${c.auth}`);
  }
}

/**
 * An openid-client Configuration for one of CLIENTS, obtained by discovery,
 * with HTTP allowed (the issuer is http://localhost) and ID token signature
 * verification (non-repudiation checks) switched on.
 *
 * @param {keyof typeof CLIENTS} name
 * @param {{secret?: string}} [options] override the client secret (negative tests)
 */
export async function rp(name, { secret } = {}) {
  const c = CLIENTS[name];
  return client.discovery(
    new URL(ISSUER),
    c.id,
    {
      redirect_uris: [c.redirectUri],
      token_endpoint_auth_method: c.auth,
      // Trame signs ID tokens with ES256 unless the client was registered
      // with --id-token-alg.
      id_token_signed_response_alg: c.idTokenAlg ?? 'ES256',
      ...(c.userinfoAlg ? { userinfo_signed_response_alg: c.userinfoAlg } : {}),
    },
    clientAuth(c, secret ?? c.secret),
    { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
  );
}

/** A fresh authorization request (PKCE S256 + state + nonce). */
export async function newRequest(config, { redirectUri, scope = 'openid', extra = {} } = {}) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, codeVerifier, state, nonce, redirectUri };
}

/**
 * Signs the test user in through the HTML pages of `browser` for client
 * `name` and redeems the code with openid-client. Returns the tokens, the
 * verified ID token claims and what the browser saw.
 */
export async function signIn(name, { browser = new Browser(), scope = 'openid', extra = {}, config } = {}) {
  config ??= await rp(name);
  const redirectUri = CLIENTS[name].redirectUri;
  const req = await newRequest(config, { redirectUri, scope, extra });
  const flow = await authorize(browser, req.url, { ...USER, redirectUri });
  assert.ok(flow.params.get('code'), `no code in the authorization response: ${flow.callbackUrl}`);
  assert.equal(flow.params.get('iss'), ISSUER, 'authorization response iss (RFC 9207)');
  const tokens = await client.authorizationCodeGrant(config, flow.callbackUrl, {
    pkceCodeVerifier: req.codeVerifier,
    expectedState: req.state,
    expectedNonce: req.nonce,
    idTokenExpected: true,
  });
  return { config, browser, req, flow, tokens, claims: tokens.claims() };
}

// ---------------------------------------------------------------------------
// Small utilities

/** Decodes the protected header of a compact JWS without verifying it. */
export function jwtHeader(jwt) {
  const parts = String(jwt).split('.');
  assert.equal(parts.length, 3, 'a compact JWS has three parts');
  return JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
}

/** Decodes the payload of a compact JWS without verifying it. */
export function jwtPayload(jwt) {
  const parts = String(jwt).split('.');
  assert.equal(parts.length, 3, 'a compact JWS has three parts');
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

/** OIDC Core 3.1.3.6 at_hash for an ES256/RS256 (SHA-256) signed ID token. */
export function atHash(accessToken) {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

let remoteJwks;
/** Verifies a JWT's signature against the issuer's JWKS with jose. */
export async function verifyWithJwks(jwt, options = {}) {
  if (!remoteJwks) {
    const meta = await (await fetch(`${ISSUER}/.well-known/openid-configuration`)).json();
    remoteJwks = jose.createRemoteJWKSet(new URL(meta.jwks_uri));
  }
  return jose.jwtVerify(jwt, remoteJwks, { issuer: ISSUER, ...options });
}

/**
 * Normalises an OAuth error thrown by openid-client into
 * {status, error, description, wwwAuthenticate}. A 401 with a
 * WWW-Authenticate header surfaces as WWWAuthenticateChallengeError, whose
 * response body has not been read yet: read it here.
 */
export async function oauthError(err) {
  if (err instanceof client.ResponseBodyError) {
    return {
      status: err.status,
      error: err.error,
      description: err.error_description,
      wwwAuthenticate: err.response?.headers.get('www-authenticate') ?? null,
    };
  }
  if (err instanceof client.WWWAuthenticateChallengeError) {
    let body = {};
    try {
      body = await err.response.json();
    } catch {}
    return {
      status: err.status,
      error: body.error ?? err.cause?.[0]?.parameters?.error,
      description: body.error_description,
      wwwAuthenticate: err.response.headers.get('www-authenticate'),
    };
  }
  if (err instanceof client.AuthorizationResponseError) {
    return { status: undefined, error: err.error, description: err.error_description, wwwAuthenticate: null };
  }
  throw err;
}

/** Asserts that `promise` rejects with the OAuth error `error` (and `status` if given). */
export async function rejectsWithOAuthError(promise, error, { status, message } = {}) {
  let thrown;
  try {
    await promise;
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown, `${message ?? 'request'}: expected the OAuth error ${error}, but it succeeded`);
  const e = await oauthError(thrown);
  assert.equal(e.error, error, `${message ?? 'request'}: OAuth error (description: ${e.description})`);
  if (status !== undefined) assert.equal(e.status, status, `${message ?? 'request'}: HTTP status`);
  return e;
}

export { client, jose };

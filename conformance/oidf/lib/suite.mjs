// The building blocks of the OpenID Foundation's OP test modules
// (openid-certification/conformance-suite, net.openid.conformance.openid),
// reproduced with openid-client and jose so that oidf/*.test.mjs can mirror
// one module per test. Each helper names the suite's conditions it stands
// for. The suite's FAILURE conditions are assertions here; its WARNING
// conditions are `warn()`: a note in the module report
// (report/modules-<mode>.md), not a failure, exactly as the suite lets a
// module pass with a warning.
//
// What differs from the real suite, by necessity:
// - the "tester" is tests/lib/browser.mjs: it signs alice in and approves
//   consent, where the suite waits for a person (and, for the modules that
//   expect an error page or a second sign-in page, for a screenshot that a
//   reviewer checks: here the page itself is checked);
// - the issuer is http://localhost:<port>, so the suite's "every endpoint
//   is https" checks are made as "https, or the test issuer's own http
//   origin on localhost".

import assert from 'node:assert/strict';
import { ISSUER, USER, CLIENTS, client, jose, rp, jwtHeader, jwtPayload, atHash, oauthError } from '../../tests/lib/setup.mjs';
import { Browser, authorize, isRedirect, parseForms, hiddenFields } from '../../tests/lib/browser.mjs';

export { ISSUER, USER, CLIENTS, client, jose, jwtHeader, jwtPayload, oauthError, Browser, authorize, isRedirect, parseForms, hiddenFields };

export const DISCOVERY_URL = `${ISSUER}/.well-known/openid-configuration`;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds since the epoch. */
export const now = () => Math.floor(Date.now() / 1000);

/**
 * A WARNING of the suite: recorded as a note of the module (shown in the
 * module report), never a failure.
 */
export function warn(t, ok, message) {
  if (!ok) t.diagnostic(`note: warning: ${message}`);
  return ok;
}

/** A note for the module report. */
export function note(t, message) {
  t.diagnostic(`note: ${message}`);
}

/**
 * A check the real suite fails Trame on, today: `check` runs the suite's
 * check (assertions); when it throws, the module is marked (node:test todo:
 * the run does not fail) and fails, so the report shows it as
 * `failed by design` (`byDesign`: Trame refuses on purpose what the module
 * requires) or `failed`, with `reason`. Call it at the failing check only,
 * after the module's other steps: anything failing before it fails the run.
 * If `check` passes, the module goes on (and passes, with a note that the
 * mark should go).
 */
export async function upstreamFails(t, { byDesign = false, reason }, check) {
  try {
    await check();
  } catch (err) {
    t.todo(`${byDesign ? 'failed by design' : 'failed'}: ${reason}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Server configuration and keys: GetDynamicServerConfiguration,
// CheckServerConfiguration, FetchServerKeys, ValidateServerJWKs,
// CheckForKeyIdInServerJWKs, CheckDistinctKeyIdValueInServerJWKs,
// EnsureServerJwksDoesNotContainPrivateOrSymmetricKeys (the set-up of every
// module).

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Checks a public JWKS as the suite does for the server's keys. */
export function checkServerJwks(jwks) {
  assert.ok(jwks && typeof jwks === 'object' && Array.isArray(jwks.keys), 'the JWKS is an object with a keys array');
  assert.ok(jwks.keys.length > 0, 'the JWKS has at least one key');
  const kids = new Set();
  for (const key of jwks.keys) {
    assert.equal(typeof key.kty, 'string', `every key has kty: ${JSON.stringify(key)}`);
    assert.notEqual(key.kty, 'oct', 'no symmetric key is published');
    const members = key.kty === 'RSA' ? ['n', 'e'] : key.kty === 'EC' || key.kty === 'OKP' ? ['x', ...(key.kty === 'EC' ? ['y'] : [])] : [];
    for (const m of members) {
      assert.equal(typeof key[m], 'string', `${key.kty} key has ${m}`);
      assert.match(key[m], BASE64URL, `${m} is unpadded base64url`);
    }
    for (const m of PRIVATE_MEMBERS) assert.ok(!(m in key), `key ${key.kid} has no private member ${m}`);
    assert.equal(typeof key.kid, 'string', `every key has a kid (OIDCC-10.1): ${JSON.stringify(key)}`);
    assert.ok(!kids.has(key.kid), `kid ${key.kid} is unique (RFC7517-4.5)`);
    kids.add(key.kid);
  }
}

let serverCache;

/**
 * The discovery document and the JWKS, fetched and checked once per file.
 * @returns {Promise<{discovery: object, jwks: object, discoveryResponse: Response, keySet: Function}>}
 */
export async function server() {
  if (!serverCache) {
    serverCache = (async () => {
      const res = await fetch(DISCOVERY_URL);
      assert.equal(res.status, 200, 'discovery answers 200');
      assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/, 'discovery is JSON');
      const discovery = await res.json();
      for (const k of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri']) {
        assert.equal(typeof discovery[k], 'string', `discovery has ${k} (CheckServerConfiguration)`);
      }
      const jres = await fetch(discovery.jwks_uri);
      assert.equal(jres.status, 200, 'the JWKS answers 200');
      const jwks = await jres.json();
      checkServerJwks(jwks);
      return { discovery, jwks, keySet: jose.createLocalJWKSet(jwks) };
    })();
  }
  return serverCache;
}

// ---------------------------------------------------------------------------
// oidcc-discovery-endpoint-verification (OIDCCDiscoveryEndpointVerification,
// OP-Discovery-*), in the Config plan (static client) and the Dynamic plan
// (dynamic client).

/** The test issuer runs on http://localhost: the suite's https rule, with that one exception. */
export function httpsOrTestIssuer(url, what) {
  const u = new URL(url);
  const issuer = new URL(ISSUER);
  const ok = u.protocol === 'https:' || (u.protocol === 'http:' && u.origin === issuer.origin && issuer.hostname === 'localhost');
  assert.ok(ok, `${what} is https (or the test issuer's own http://localhost origin): ${url}`);
}

// BCP 47 language tags, the syntax CheckDiscEndpointLocalesSyntax checks
// (the registry lookup is reduced to the shape: language[-script][-region]).
const BCP47 = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/;
// RFC 6749 §3.3 scope-token.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const OIDC_RESPONSE_TYPES = ['code', 'code id_token', 'id_token', 'token id_token', 'id_token token', 'code id_token token', 'code token'];

/** Why Trame fails the Dynamic plan's discovery checks, on purpose. */
export const IMPLICIT_REFUSED =
  'the dynamic profile requires the response types id_token and token id_token and the implicit grant ' +
  '(OIDCCCheckDiscEndpointResponseTypesSupportedDynamic, OIDCCCheckDiscEndpointGrantTypesSupportedDynamic; OIDC Core §15.2): ' +
  'Trame issues tokens only at the token endpoint (response_type=code), as the OAuth 2.0 Security BCP (RFC 9700 §2.1.2) asks, ' +
  'and advertises neither';

/**
 * The suite fetches <issuer>/.well-known/openid-configuration and checks:
 * 200 and JSON; the discovery URL is https and ends with
 * /.well-known/openid-configuration; issuer equals the URL it was fetched
 * from minus that suffix, and is a valid https URL without query or
 * fragment; response_types_supported has at least one OIDC response type
 * (dynamic client: code, id_token and token id_token, all three);
 * subject_types_supported has public or pairwise;
 * id_token_signing_alg_values_supported contains RS256;
 * userinfo_signing_alg_values_supported, if present, is an array;
 * authorization, token (and, a warning if missing, userinfo) endpoints are
 * https URLs; registration_endpoint, if present, too; jwks_uri is https and
 * serves valid public keys without private or symmetric ones; request /
 * request_uri / claims parameter support is reported (info);
 * claims_supported is an array (warning); grant_types_supported, if
 * present, a non-empty array (dynamic client: with authorization_code and
 * implicit); scopes_supported contains openid and only valid scope tokens;
 * the locales are BCP 47; every *_endpoint is https;
 * code_challenge_methods_supported, if present, is an array. Mirrored
 * member by member (https: see httpsOrTestIssuer). The dynamic-client
 * requirements Trame refuses on purpose are checked last, as a failure by
 * design (upstreamFails).
 * @returns {Promise<object>} the document
 */
export async function discoveryEndpointVerification(t, discoveryUrl, { dynamicClient = false } = {}) {
  const res = await fetch(discoveryUrl);
  assert.equal(res.status, 200, 'discovery answers 200 (OIDCD-4)');
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/, 'discovery is JSON (OIDCD-4)');
  const d = await res.json();

  assert.ok(discoveryUrl.endsWith('/.well-known/openid-configuration'));
  httpsOrTestIssuer(discoveryUrl, 'the discovery URL');
  // CheckDiscEndpointIssuer, CheckDiscEndpointIssuerIsValidUrl
  assert.equal(d.issuer.replace(/\/$/, ''), discoveryUrl.slice(0, -'/.well-known/openid-configuration'.length).replace(/\/$/, ''), 'issuer is where the document was fetched from (OIDCD-4.3)');
  const iss = new URL(d.issuer);
  assert.equal(iss.search, '', 'issuer has no query');
  assert.equal(iss.hash, '', 'issuer has no fragment');
  httpsOrTestIssuer(d.issuer, 'issuer');

  // OIDCCCheckDiscEndpointResponseTypesSupported (the Dynamic variant's
  // code part here; its id_token part below)
  assert.ok(Array.isArray(d.response_types_supported), 'response_types_supported is an array');
  if (dynamicClient) assert.ok(d.response_types_supported.includes('code'), 'code in response_types_supported');
  else assert.ok(d.response_types_supported.some((r) => OIDC_RESPONSE_TYPES.includes(r)), 'at least one OIDC response type');
  // CheckDiscEndpointSubjectTypesSupported
  assert.ok(Array.isArray(d.subject_types_supported) && d.subject_types_supported.some((s) => ['public', 'pairwise'].includes(s)), 'subject_types_supported has public or pairwise');
  // OIDCCCheckDiscEndpointIdTokenSigningAlgValuesSupported
  assert.ok(Array.isArray(d.id_token_signing_alg_values_supported) && d.id_token_signing_alg_values_supported.includes('RS256'), 'RS256 in id_token_signing_alg_values_supported');
  // OIDCCCheckDiscEndpointUserinfoSigningAlgValuesSupported (if present)
  if ('userinfo_signing_alg_values_supported' in d) assert.ok(Array.isArray(d.userinfo_signing_alg_values_supported), 'userinfo_signing_alg_values_supported is an array');
  // CheckDiscEndpointAuthorizationEndpoint / TokenEndpoint / UserinfoEndpoint
  httpsOrTestIssuer(d.authorization_endpoint, 'authorization_endpoint');
  httpsOrTestIssuer(d.token_endpoint, 'token_endpoint');
  if (warn(t, typeof d.userinfo_endpoint === 'string', 'no userinfo_endpoint (recommended)')) httpsOrTestIssuer(d.userinfo_endpoint, 'userinfo_endpoint');
  // CheckDiscEndpointRegistrationEndpoint (if present)
  if ('registration_endpoint' in d) httpsOrTestIssuer(d.registration_endpoint, 'registration_endpoint');
  // CheckJwksUri, FetchServerKeys, ValidateServerJWKs,
  // EnsureServerJwksDoesNotContainPrivateOrSymmetricKeys
  httpsOrTestIssuer(d.jwks_uri, 'jwks_uri');
  const jres = await fetch(d.jwks_uri);
  assert.equal(jres.status, 200, 'jwks_uri answers 200');
  checkServerJwks(await jres.json());
  // CheckDiscEndpointRequestParameterSupported, ...RequestUriParameterSupported,
  // ...ClaimsParameterSupported: informational in the suite.
  note(t, `request_parameter_supported=${d.request_parameter_supported}, request_uri_parameter_supported=${d.request_uri_parameter_supported}, claims_parameter_supported=${d.claims_parameter_supported}`);
  // CheckDiscEndpointRequestObjectSigningAlgValuesSupportedIncludesRS256 (WARNING)
  if ('request_object_signing_alg_values_supported' in d) {
    warn(t, d.request_object_signing_alg_values_supported.includes('RS256'), 'request_object_signing_alg_values_supported lacks RS256');
  }
  // OIDCCCheckDiscEndpointClaimsSupported (WARNING)
  warn(t, Array.isArray(d.claims_supported), 'claims_supported missing or not an array');
  // OIDCCCheckDiscEndpointGrantTypesSupported (static client; the Dynamic
  // variant's authorization_code part here, its implicit part below)
  if ('grant_types_supported' in d) {
    assert.ok(Array.isArray(d.grant_types_supported) && d.grant_types_supported.length > 0, 'grant_types_supported is a non-empty array');
    if (dynamicClient) assert.ok(d.grant_types_supported.includes('authorization_code'), 'authorization_code in grant_types_supported');
  }
  // CheckDiscEndpointScopesSupportedContainsOpenId, ...ScopesSupportedSyntax
  if (warn(t, Array.isArray(d.scopes_supported), 'no scopes_supported')) {
    assert.ok(d.scopes_supported.includes('openid'), 'scopes_supported contains openid');
    for (const s of d.scopes_supported) assert.match(s, SCOPE_TOKEN, `scope ${s} is an RFC 6749 scope-token`);
  }
  // CheckDiscEndpointLocalesSyntax
  for (const k of ['ui_locales_supported', 'claims_locales_supported']) {
    if (k in d) {
      assert.ok(Array.isArray(d[k]), `${k} is an array`);
      for (const l of d[k]) assert.match(l, BCP47, `${k}: ${l} is a BCP 47 tag`);
    }
  }
  // CheckDiscEndpointAllEndpointsAreHttps
  for (const [k, v] of Object.entries(d)) if (k.endsWith('_endpoint')) httpsOrTestIssuer(v, k);
  // EnsureServerConfigurationCodeChallengeMethodsSupportedIsAnArray
  if ('code_challenge_methods_supported' in d) assert.ok(Array.isArray(d.code_challenge_methods_supported), 'code_challenge_methods_supported is an array');

  if (dynamicClient) {
    // OIDCCCheckDiscEndpointResponseTypesSupportedDynamic: all of code,
    // id_token, token id_token (OIDC Discovery §3, OIDC Core §15.2);
    // OIDCCCheckDiscEndpointGrantTypesSupportedDynamic: authorization_code
    // and implicit (both assumed when grant_types_supported is absent).
    const missingTypes = ['id_token', 'token id_token'].filter((r) => !d.response_types_supported.includes(r));
    const missingGrants = 'grant_types_supported' in d ? ['implicit'].filter((g) => !d.grant_types_supported.includes(g)) : [];
    await upstreamFails(t, { byDesign: true, reason: IMPLICIT_REFUSED }, () => {
      assert.deepEqual(
        { response_types_supported: missingTypes, grant_types_supported: missingGrants },
        { response_types_supported: [], grant_types_supported: [] },
        'the response types and grant types mandatory for dynamic OPs are advertised',
      );
    });
  }
  return d;
}

// ---------------------------------------------------------------------------
// The relying party: an openid-client Configuration (by discovery) whose
// HTTP exchanges are recorded, for the checks the suite makes on raw
// responses (status, Content-Type, Cache-Control).

/**
 * @param {keyof typeof CLIENTS} name
 * @returns {Promise<{name: string, config: client.Configuration, exchanges: Array<{url: string, method: string, requestHeaders: Headers, requestBody: string, status: number, headers: Headers}>, last: (endpoint: string) => object}>}
 */
export async function relyingParty(name, options) {
  const config = await rp(name, options);
  return { name, client: CLIENTS[name], config, ...recordExchanges(config) };
}

/**
 * Records the HTTP exchanges of an openid-client Configuration; `last(endpoint)`
 * is the latest one with the server metadata's `endpoint` URL.
 */
export function recordExchanges(config) {
  const exchanges = [];
  config[client.customFetch] = async (url, init = {}) => {
    const res = await fetch(url, init);
    exchanges.push({
      url: String(url),
      method: init.method ?? 'GET',
      requestHeaders: new Headers(init.headers),
      requestBody: typeof init.body === 'string' ? init.body : init.body instanceof URLSearchParams ? init.body.toString() : '',
      status: res.status,
      headers: res.headers,
    });
    return res;
  };
  const last = (endpoint) => {
    const url = config.serverMetadata()[endpoint];
    const found = exchanges.filter((x) => x.url.split('?')[0] === url).at(-1);
    assert.ok(found, `a request was made to ${endpoint}`);
    return found;
  };
  return { exchanges, last };
}

// ---------------------------------------------------------------------------
// The authorization request: CreateAuthorizationRequestSteps
// (CreateAuthorizationEndpointRequestFromClientInformation, state, nonce,
// response_type) and BuildPlainRedirectToAuthorizationEndpoint. No PKCE:
// the suite sends none outside oidcc-ensure-request-with-valid-pkce-succeeds.

const STATE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random alphanumeric string (the suite's CreateRandomStateValue). */
export function randomString(length) {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => STATE_CHARS[b % STATE_CHARS.length]).join('');
}

/**
 * Builds an authorization request for relying party `party`.
 *
 * @param {object} party from relyingParty()
 * @param {{scope?: string, state?: boolean, stateLength?: number, nonce?: boolean,
 *          pkce?: boolean, extra?: Record<string,string>, omit?: string[], redirectUri?: string}} [options]
 * @returns {Promise<{url: URL, params: URLSearchParams, state?: string, nonce?: string, codeVerifier?: string, redirectUri: string, scope: string}>}
 */
export async function authorizationRequest(party, { scope = 'openid', state = true, stateLength = 22, nonce = true, pkce = false, extra = {}, omit = [], redirectUri } = {}) {
  redirectUri ??= party.client.redirectUri;
  const req = { redirectUri, scope };
  const p = new URLSearchParams();
  p.set('client_id', party.client.id);
  p.set('redirect_uri', redirectUri);
  p.set('scope', scope);
  p.set('response_type', 'code');
  if (state) p.set('state', (req.state = randomString(stateLength)));
  if (nonce) p.set('nonce', (req.nonce = client.randomNonce()));
  if (pkce) {
    req.codeVerifier = client.randomPKCECodeVerifier();
    p.set('code_challenge', await client.calculatePKCECodeChallenge(req.codeVerifier));
    p.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  for (const k of omit) p.delete(k);
  const url = new URL(party.config.serverMetadata().authorization_endpoint);
  url.search = p.toString();
  return { ...req, url, params: p };
}

/** The response parameters of an authorization response URL (query, or fragment if any). */
export function responseParams(callbackUrl) {
  const params = new URLSearchParams(callbackUrl.search);
  if (callbackUrl.hash.length > 1) for (const [k, v] of new URLSearchParams(callbackUrl.hash.slice(1))) params.append(k, v);
  return params;
}

/**
 * onAuthorizationCallbackResponse of a successful response:
 * CheckMatchingCallbackParameters, ValidateIssIfPresentInAuthorizationResponse,
 * CheckIfAuthorizationEndpointError, CheckStateInAuthorizationResponse,
 * ExtractAuthorizationCodeFromAuthorizationResponse.
 */
export function checkSuccessResponse(callbackUrl, req, { issuer = ISSUER } = {}) {
  assert.equal(callbackUrl.origin + callbackUrl.pathname, req.redirectUri, 'the response goes to the redirect URI of the request');
  const params = responseParams(callbackUrl);
  assert.equal(params.get('error'), null, `no error in the authorization response: ${callbackUrl}`);
  assert.ok(params.get('code'), `the authorization response has a code: ${callbackUrl}`);
  assert.equal(callbackUrl.hash, '', 'the code flow answers in the query, not the fragment');
  assert.equal(params.get('iss'), issuer, 'iss of the authorization response (RFC 9207, advertised by discovery)');
  assert.equal(params.get('state'), req.state ?? null, 'state is returned unchanged');
  return params;
}

// RFC 6749 §4.1.2.1: error_description is %x20-21 / %x23-5B / %x5D-7E.
const ERROR_DESCRIPTION = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;
const ERROR_PARAMS = new Set(['error', 'error_description', 'error_uri', 'state', 'session_state', 'iss']);

/**
 * performGenericAuthorizationEndpointErrorResponseValidation and the check
 * of the error code: CheckStateInAuthorizationResponse,
 * ValidateIssIfPresentInAuthorizationResponse,
 * EnsureErrorFromAuthorizationEndpointResponse,
 * RejectAuthCodeInAuthorizationEndpointResponse,
 * CheckForUnexpectedParametersInErrorResponseFromAuthorizationEndpoint
 * (WARNING), ValidateErrorDescriptionFromAuthorizationEndpointResponseError,
 * ValidateErrorUriFromAuthorizationEndpointResponseError.
 *
 * @param {string[]} allowed the error codes the module accepts
 * @param {{checkState?: boolean}} [options] checkState false when state was
 *   only inside a request object
 */
export function checkErrorResponse(t, callbackUrl, req, allowed, { checkState = true } = {}) {
  assert.equal(callbackUrl.origin + callbackUrl.pathname, req.redirectUri, 'the error goes to the redirect URI of the request');
  const params = responseParams(callbackUrl);
  const error = params.get('error');
  assert.ok(error, `the authorization response is an error: ${callbackUrl}`);
  assert.ok(allowed.includes(error), `error is one of ${allowed.join(', ')}: got ${error} (${params.get('error_description')})`);
  assert.equal(params.get('code'), null, 'no code in an error response');
  if (checkState) assert.equal(params.get('state'), req.state ?? null, 'state is returned unchanged in the error response');
  if (params.has('iss')) assert.equal(params.get('iss'), ISSUER, 'iss of the error response');
  const description = params.get('error_description');
  if (description !== null) {
    assert.match(description, ERROR_DESCRIPTION, `error_description uses only the characters RFC 6749 allows: ${JSON.stringify(description)}`);
  }
  const uri = params.get('error_uri');
  if (uri !== null) assert.doesNotThrow(() => new URL(uri), `error_uri is a URI: ${uri}`);
  const unexpected = [...params.keys()].filter((k) => !ERROR_PARAMS.has(k));
  warn(t, unexpected.length === 0, `unexpected parameters in the error response: ${unexpected.join(', ')}`);
  return params;
}

/**
 * Sends `req` from `browser`, signing alice in and approving consent when
 * asked; returns authorize()'s result (callbackUrl, signInShown, ...).
 */
export function runAuthorization(browser, req) {
  return authorize(browser, req.url, { ...USER, redirectUri: req.redirectUri });
}

/**
 * Sends `req` from `browser` and expects the answer at the redirect URI
 * without any page (prompt=none, an existing session): no sign-in, no
 * consent, no other page on the way.
 */
export async function silentAuthorization(browser, req) {
  const from = browser.history.length;
  const res = await browser.follow(await browser.get(req.url.href), req.redirectUri);
  const pages = browser.history.slice(from).filter((r) => !isRedirect(r));
  assert.equal(pages.length, 0, `no page is shown on the way back to the client:\n${browser.trace()}`);
  assert.ok(isRedirect(res) && res.location, `the server redirects to the client (got ${res.status})`);
  return new URL(res.location);
}

// ---------------------------------------------------------------------------
// The token endpoint: CallTokenEndpoint, CheckIfTokenEndpointResponseError,
// CheckForAccessTokenValue, ExtractExpiresInFromTokenEndpointResponse +
// ValidateExpiresIn, ExtractIdTokenFromTokenResponse, then
// PerformStandardIdTokenChecks.

/** The checks made on every successful token endpoint response. */
export function checkTokenResponse(exchange, tokens, { idToken = true } = {}) {
  assert.equal(exchange.status, 200, 'the token endpoint answers 200');
  assert.match(exchange.headers.get('content-type') ?? '', /^application\/json\b/, 'the token response is JSON (RFC6749-5.1)');
  // CheckTokenEndpointCacheHeaders (FAILURE): Cache-Control, when present,
  // must contain no-store, Pragma, when present, no-cache. RFC 6749 §5.1
  // makes "Cache-Control: no-store" a MUST on every response with tokens:
  // here a response without it fails too.
  const cacheControl = exchange.headers.get('cache-control');
  assert.ok(cacheControl !== null, 'the token response has Cache-Control: no-store (RFC6749-5.1): the header is missing');
  assert.ok(cacheControl.split(',').map((s) => s.trim().toLowerCase()).includes('no-store'), `Cache-Control contains no-store (RFC6749-5.1): ${cacheControl}`);
  const pragma = exchange.headers.get('pragma');
  if (pragma !== null) assert.ok(pragma.split(',').map((s) => s.trim()).includes('no-cache'), `Pragma contains no-cache: ${pragma}`);
  assert.equal(typeof tokens.access_token, 'string', 'an access token');
  assert.ok(tokens.access_token.length > 0);
  assert.match(tokens.access_token, /^[\x20-\x7E]+$/, 'the access token uses VSCHAR only (RFC6749-A.12)');
  assert.equal(String(tokens.token_type).toLowerCase(), 'bearer', 'token_type Bearer');
  if (tokens.expires_in !== undefined) {
    assert.ok(Number.isInteger(tokens.expires_in) && tokens.expires_in > 0, `expires_in is a positive integer: ${tokens.expires_in}`);
  }
  if (idToken) assert.equal(typeof tokens.id_token, 'string', 'an ID token from the token endpoint (OIDCC-3.1.3.3)');
}

const STRING = (v) => typeof v === 'string';
const BOOLEAN = (v) => typeof v === 'boolean';
const NUMBER = (v) => typeof v === 'number';
const ADDRESS_MEMBERS = ['formatted', 'street_address', 'locality', 'region', 'postal_code', 'country'];
const STANDARD_CLAIMS = {
  sub: STRING, name: STRING, given_name: STRING, family_name: STRING, middle_name: STRING, nickname: STRING,
  preferred_username: STRING, profile: STRING, picture: STRING, website: STRING, email: STRING, email_verified: BOOLEAN,
  gender: STRING, birthdate: STRING, zoneinfo: STRING, locale: STRING, phone_number: STRING, phone_number_verified: BOOLEAN,
  address: (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && ADDRESS_MEMBERS.every((m) => !(m in v) || STRING(v[m])),
  updated_at: NUMBER,
};

/**
 * ValidateUserInfoStandardClaims / ValidateIdTokenStandardClaims: the
 * standard claims present have the types of OIDC Core §5.1;
 * EnsureUserInfoBirthDateValid, EnsureUserInfoUpdatedAtValid.
 */
export function checkStandardClaimTypes(claims, where) {
  for (const [name, valid] of Object.entries(STANDARD_CLAIMS)) {
    if (name in claims) assert.ok(valid(claims[name]), `${where}: ${name} has the type of OIDC Core 5.1: ${JSON.stringify(claims[name])}`);
  }
  if ('birthdate' in claims) assert.match(claims.birthdate, /^(\d{4}|\d{4}-\d{2}-\d{2}|0000-\d{2}-\d{2})$/, `${where}: birthdate format`);
  if ('updated_at' in claims) assert.ok(Number.isInteger(claims.updated_at) && claims.updated_at > 0, `${where}: updated_at is a timestamp`);
}

const SKEW = 5 * 60;

/**
 * PerformStandardIdTokenChecks: ValidateIdToken (iss, aud, exp, iat, 5 min
 * skew), ValidateIdTokenStandardClaims, ValidateIdTokenNonce,
 * ValidateIdTokenSignature + ValidateIdTokenSignatureUsingKid (here: jose
 * against the published JWKS, by kid), CheckForSubjectInIdToken,
 * EnsureIdTokenUpdatedAtValid. Also at_hash and azp when present.
 *
 * @param {{clientId: string, nonce?: string, alg?: string, accessToken?: string}} expected
 * @returns {Promise<object>} the claims
 */
export async function checkIdToken(idToken, { clientId, nonce, alg, accessToken }) {
  const { keySet } = await server();
  const header = jwtHeader(idToken);
  assert.notEqual(header.alg, 'none', 'the ID token is signed');
  if (alg) assert.equal(header.alg, alg, 'the ID token is signed with the client\'s algorithm');
  assert.equal(typeof header.kid, 'string', 'the ID token header names its key (kid)');
  const { payload: c } = await jose.jwtVerify(idToken, keySet, { clockTolerance: SKEW });
  assert.equal(c.iss, ISSUER, 'iss');
  const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
  assert.ok(aud.includes(clientId), `aud contains the client id: ${JSON.stringify(c.aud)}`);
  if (aud.length > 1 || 'azp' in c) assert.equal(c.azp, clientId, 'azp is the client id');
  assert.ok(Number.isInteger(c.exp) && c.exp > now() - SKEW, 'exp is in the future');
  assert.ok(Number.isInteger(c.iat) && c.iat < now() + SKEW, 'iat is not in the future');
  assert.ok(typeof c.sub === 'string' && c.sub.length > 0 && c.sub.length <= 255, 'sub is a string of at most 255 characters');
  if (nonce === undefined) assert.ok(!('nonce' in c), 'no nonce in the ID token when none was sent');
  else assert.equal(c.nonce, nonce, 'nonce round-trips');
  if ('auth_time' in c) assert.ok(Number.isInteger(c.auth_time), 'auth_time is a number');
  // at_hash with SHA-256, the hash of ES256 and RS256 (OIDC Core 3.1.3.6).
  if ('at_hash' in c && accessToken && /^(ES|RS|PS)256$/.test(header.alg)) {
    assert.equal(c.at_hash, atHash(accessToken), 'at_hash matches the access token');
  }
  checkStandardClaimTypes(c, 'ID token');
  return c;
}

/**
 * Redeems the code of `callbackUrl` with openid-client (which also checks
 * state, iss, the ID token signature, aud, nonce, and auth_time against
 * max_age) and makes the suite's checks on the token response and the ID
 * token. `client_id`/secret go the client's way (basic or post).
 */
export async function redeem(party, callbackUrl, req, { maxAge } = {}) {
  const tokens = await client.authorizationCodeGrant(party.config, callbackUrl, {
    pkceCodeVerifier: req.codeVerifier,
    expectedState: req.state ?? client.skipStateCheck,
    expectedNonce: req.nonce,
    idTokenExpected: true,
    maxAge,
  });
  checkTokenResponse(party.last('token_endpoint'), tokens);
  const claims = await checkIdToken(tokens.id_token, {
    clientId: party.client.id,
    nonce: req.nonce,
    alg: party.client.idTokenAlg ?? 'ES256',
    accessToken: tokens.access_token,
  });
  return { tokens, claims };
}

// ---------------------------------------------------------------------------
// The UserInfo endpoint: CallUserInfoEndpointWithBearerToken (GET, or POST
// with the token in the header) and
// CallUserInfoEndpointWithBearerTokenInBodyAllowingFailure.

/**
 * @param {'get'|'post-header'|'post-body'} how
 * @returns {Promise<{status: number, headers: Headers, body: any, text: string}>}
 */
export async function callUserInfo(party, accessToken, how = 'get') {
  const url = party.config.serverMetadata().userinfo_endpoint;
  let res;
  switch (how) {
    case 'get':
      res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
      break;
    case 'post-header':
      res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
      break;
    case 'post-body':
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ access_token: accessToken }).toString(),
      });
      break;
    default:
      throw new Error(`unknown userinfo call ${how}`);
  }
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/**
 * ExtractUserInfoFromUserInfoEndpointResponse, EnsureUserInfoContainsSub,
 * VerifyUserInfoAndIdTokenInTokenEndpointSameSub,
 * ValidateUserInfoStandardClaims, EnsureUserInfoBirthDateValid,
 * EnsureUserInfoUpdatedAtValid.
 */
export function checkUserInfo(ui, idClaims) {
  assert.equal(ui.status, 200, `userinfo answers 200 (got ${ui.status}: ${ui.text.slice(0, 200)})`);
  assert.match(ui.headers.get('content-type') ?? '', /^application\/json\b/, 'userinfo answers JSON');
  assert.ok(ui.body && typeof ui.body === 'object' && !Array.isArray(ui.body), 'the userinfo response is a JSON object');
  assert.equal(typeof ui.body.sub, 'string', 'userinfo contains sub (OIDCC-5.3.2)');
  assert.equal(ui.body.sub, idClaims.sub, 'userinfo sub equals the ID token sub (OIDCC-5.3.2)');
  checkStandardClaimTypes(ui.body, 'userinfo');
  return ui.body;
}

/** The claims each standard scope stands for (OIDC Core §5.4), as the suite lists them. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'middle_name', 'nickname', 'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at', 'preferred_username'],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
  offline_access: [],
};

// ---------------------------------------------------------------------------
// One authorization code flow as AbstractOIDCCServerTest runs it:
// authorization request, callback checks, token request, ID token checks,
// then the resource request (userinfo GET, 200).

/**
 * @param {object} party from relyingParty()
 * @param {{browser?: Browser, request?: object, maxAge?: number, silent?: boolean, userinfo?: boolean}} [options]
 *   request: options of authorizationRequest(); silent: expect no page
 *   (prompt=none); userinfo: false skips the resource request
 */
export async function codeFlow(party, { browser = new Browser(), request = {}, maxAge, silent = false, userinfo = true } = {}) {
  const req = await authorizationRequest(party, request);
  let flow;
  if (silent) {
    flow = { callbackUrl: await silentAuthorization(browser, req), signInShown: false, consentShown: false };
  } else {
    flow = await runAuthorization(browser, req);
  }
  assert.equal(flow.formPost ?? false, false, 'the default response mode is a redirect (query)');
  checkSuccessResponse(flow.callbackUrl, req);
  const { tokens, claims } = await redeem(party, flow.callbackUrl, req, { maxAge });
  let ui;
  if (userinfo) {
    ui = await callUserInfo(party, tokens.access_token, 'get');
    assert.equal(ui.status, 200, `the resource request (userinfo) answers 200 (got ${ui.status})`);
  }
  return { browser, req, flow, tokens, claims, userinfo: ui };
}

// ---------------------------------------------------------------------------
// Token endpoint errors (AbstractOIDCCAuthCodeReuse.checkResponse,
// RefreshTokenRequestExpectingErrorSteps): CheckTokenEndpointHttpStatus400,
// CheckTokenEndpointReturnedJsonContentType,
// CheckErrorFromTokenEndpointResponseErrorInvalidGrant,
// ValidateErrorFromTokenEndpointResponseError,
// ValidateErrorDescriptionFromTokenEndpointResponseError.

/** Runs `promise` (an openid-client token request) and checks it failed with `error`. */
export async function expectTokenError(party, promise, error = 'invalid_grant', { status = 400 } = {}) {
  let thrown;
  try {
    await promise;
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown, `the token endpoint must refuse with ${error}, but it answered with tokens`);
  const e = await oauthError(thrown);
  const exchange = party.last('token_endpoint');
  assert.equal(exchange.status, status, `HTTP status of the token error (OIDCC-3.1.3.4): ${exchange.status}`);
  assert.match(exchange.headers.get('content-type') ?? '', /^application\/json\b/, 'the token error is JSON');
  assert.equal(e.error, error, `OAuth error (${e.description})`);
  assert.match(e.error, /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/, 'error uses only RFC 6749 characters');
  if (e.description !== undefined) assert.match(e.description, ERROR_DESCRIPTION, `error_description characters: ${JSON.stringify(e.description)}`);
  return e;
}

// ---------------------------------------------------------------------------
// Request objects (AbstractOIDCCRequestObjectServerTest):
// ConvertAuthorizationEndpointRequestToRequestObject,
// SerializeRequestObjectWithNullAlgorithm,
// BuildRequestObjectByValueRedirectToAuthorizationEndpoint (response_type,
// client_id, scope, redirect_uri are repeated outside the object; state and
// nonce travel only inside it).

/** An unsecured JWT (alg none), as SerializeRequestObjectWithNullAlgorithm makes. */
export function unsignedJwt(claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none' })}.${enc(claims)}.`;
}

/**
 * The request-object form of `req`: the URL carries `request` plus the
 * parameters of `outside` (by default the required duplicates, taken from
 * the request object).
 */
export function requestObjectUrl(party, req, { outside = {} } = {}) {
  const claims = Object.fromEntries(req.params);
  const object = unsignedJwt(claims);
  const p = new URLSearchParams();
  for (const k of ['client_id', 'redirect_uri', 'response_type', 'scope']) p.set(k, claims[k]);
  for (const [k, v] of Object.entries(outside)) p.set(k, v);
  p.set('request', object);
  const url = new URL(party.config.serverMetadata().authorization_endpoint);
  url.search = p.toString();
  return { url, claims, object };
}

/**
 * OIDCCEnsureRequestObjectWithRedirectUri's request, and the answers it
 * accepts. The Request Object `object` (made from `req.params`: it holds
 * the registered redirect_uri, state and nonce) goes by value with
 * client_id, response_type and scope beside it
 * (BuildRequestObjectByValueRedirectToAuthorizationEndpoint) and a
 * redirect_uri made invalid (AddInvalidRedirectUriToAuthorizationRequest:
 * the path + "_invalid"). Accepted (performRedirectAndWaitForPlaceholdersOrCallback):
 * - an invalid-redirect_uri error page (the suite's screenshot
 *   placeholder): 4xx, HTML, no redirect → `{ kind: 'error-page', res }`;
 * - the response at the registered redirect URI after the normal flow
 *   (sign-in, consent), which must be a success: request_not_supported
 *   fails (EnsureOPDoesNotUseDefaultRedirectUriInCaseOfInvalidRedirectUri),
 *   so does any other error (CheckIfAuthorizationEndpointError)
 *   → `{ kind: 'callback', callbackUrl }`, its code not yet redeemed.
 * A redirect to the invalid URI fails.
 */
export async function requestObjectWithInvalidRedirectUri(t, party, req, object) {
  const invalid = `${req.redirectUri}_invalid`;
  const url = new URL(party.config.serverMetadata().authorization_endpoint);
  for (const k of ['client_id', 'response_type', 'scope']) url.searchParams.set(k, req.params.get(k));
  url.searchParams.set('redirect_uri', invalid);
  url.searchParams.set('request', object);
  const endpoint = (u) => {
    const x = new URL(u, url);
    return x.origin + x.pathname;
  };
  const browser = new Browser();
  const first = await browser.get(url.href);
  if (!isRedirect(first)) {
    assert.ok(first.status >= 400 && first.status < 500, `an error page for the invalid redirect_uri (got ${first.status})`);
    assert.match(first.headers.get('content-type') ?? '', /text\/html/, 'an HTML page');
    assert.ok(!first.body.includes(invalid), 'the page offers no link to the invalid redirect_uri');
    note(t, 'the invalid redirect_uri outside the object gets an error page, which the suite accepts after a screenshot review');
    return { kind: 'error-page', res: first };
  }
  assert.notEqual(endpoint(first.location), invalid, 'never a redirect to the invalid redirect_uri');
  const callbackUrl =
    endpoint(first.location) === req.redirectUri
      ? new URL(first.location)
      : (await authorize(browser, new URL(first.location, url).href, { ...USER, redirectUri: req.redirectUri })).callbackUrl;
  const params = responseParams(callbackUrl);
  assert.notEqual(params.get('error'), 'request_not_supported', 'the invalid redirect_uri must not be answered at the registered one with request_not_supported');
  checkSuccessResponse(callbackUrl, req, { issuer: party.issuer ?? ISSUER });
  note(t, "the Request Object's redirect_uri was used: the flow completed at the registered redirect URI");
  return { kind: 'callback', callbackUrl };
}

/** Decodes the character references minijinja writes in attribute values. */
export function decodeEntities(v) {
  return v
    .replace(/&#x([0-9a-f]+);/gi, (_m, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * skipTestIfNoneUnsupported: the suite skips the request-object modules when
 * request_object_signing_alg_values_supported is listed without "none".
 * @returns {string|null} the skip reason, or null
 */
export function noneUnsupportedReason(discovery) {
  const algs = discovery.request_object_signing_alg_values_supported;
  if (Array.isArray(algs) && !algs.includes('none')) {
    return "not applicable: 'none' is not listed in request_object_signing_alg_values_supported, so the suite assumes unsigned request objects are unsupported and skips the module";
  }
  return null;
}

// ---------------------------------------------------------------------------
// response_mode=form_post (OAuth 2.0 Form Post Response Mode): the suite's
// form-post plans run the basic modules with response_mode=form_post and
// receive the response as a POST to the redirect URI. Here the stand-in
// browser stops at the page that would make that POST (an auto-submitting
// form whose action is the redirect URI) and reads its hidden inputs.

const FORM_POST_PARAMS = new Set(['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state']);

/**
 * Checks that `res` (a browser response) is a form_post page for
 * `redirectUri`: 200, HTML, exactly one POST form whose action is the
 * redirect URI (no query added), submitted by the page itself. Unexpected
 * fields are a warning. Returns {params, form}.
 */
export function readFormPost(t, res, redirectUri) {
  assert.equal(res.status, 200, `the form_post page answers 200 (got ${res.status} at ${res.url})`);
  assert.equal(res.location, null, 'the form_post response is a page, not a redirect');
  assert.match(res.headers.get('content-type') ?? '', /^text\/html\b/, 'the form_post page is HTML');
  const forms = parseForms(res.body, res.url).filter((f) => f.method === 'post' && f.action.split('?')[0] === redirectUri);
  assert.equal(forms.length, 1, `one POST form targets the redirect URI:\n${res.body.slice(0, 800)}`);
  const form = forms[0];
  assert.equal(form.action, redirectUri, 'the form action is the redirect URI itself (nothing added to it)');
  const params = new URLSearchParams(hiddenFields(form));
  const cacheControl = res.headers.get('cache-control') ?? '';
  warn(t, /no-store/.test(cacheControl), `the form_post page carrying the response is not marked Cache-Control: no-store (${cacheControl || 'absent'})`);
  const unexpected = [...params.keys()].filter((k) => !FORM_POST_PARAMS.has(k));
  warn(t, unexpected.length === 0, `unexpected fields in the form_post response: ${unexpected.join(', ')}`);
  // OAuth 2.0 Form Post Response Mode §2: the page makes the user agent
  // post the form itself, with a script. Here: the page has a script
  // (inline, or a file of the issuer's origin: no third party gets the
  // response) or an onload handler. That the browser really posts it is
  // checked in Chromium (browser/code-flow.test.mjs).
  const scripts = [...res.body.matchAll(/<script\b([^>]*)>([^]*?)<\/script>/gi)];
  const ownOrigin = new URL(res.url).origin;
  for (const [, attrs] of scripts) {
    const src = /\bsrc=["']([^"']+)["']/i.exec(attrs)?.[1];
    if (src) assert.equal(new URL(src.replace(/&amp;/g, '&'), res.url).origin, ownOrigin, `the form_post page's script comes from the issuer's origin: ${src}`);
  }
  const autoSubmit = scripts.some(([, attrs, body]) => /\bsrc=/i.test(attrs) || body.trim().length > 0) || /\bonload=["'][^"']+["']/i.test(res.body);
  assert.ok(autoSubmit, 'the page submits the form by itself (a script or an onload handler)');
  return { params, form };
}

/** The callback a relying party receives from a form_post page: a POST Request openid-client accepts. */
export function formPostCallback(redirectUri, params) {
  return new Request(redirectUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: params.toString(),
  });
}

/**
 * Sends `req` from `browser` expecting the form_post page with no page
 * before it (prompt=none, an existing session; or an error answered at
 * once). Returns readFormPost()'s result.
 */
export async function silentFormPost(t, browser, req) {
  const from = browser.history.length;
  const res = await browser.follow(await browser.get(req.url.href), req.redirectUri);
  assert.ok(!isRedirect(res), `no redirect to the client with response_mode=form_post (got ${res.status} ${res.location})`);
  const before = browser.history.slice(from, -1).filter((r) => !isRedirect(r));
  assert.equal(before.length, 0, `no other page before the form_post page:\n${browser.trace()}`);
  return readFormPost(t, res, req.redirectUri);
}

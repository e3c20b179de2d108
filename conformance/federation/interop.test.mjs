// Interoperability of Trame's OpenID Federation 1.0 (Final) endpoints with an
// independent implementation: @openid-federation/core (npm, Animo Solutions,
// openwallet-foundation-labs/openid-federation-ts; version pinned in
// ../package.json). Run through ./run.sh, which sets up with the `trame` CLI
// one HTTPS installation with a Trust Anchor (TA, /ta), an Intermediate
// (/region) enrolled by it with a metadata policy, an OP (/op) enrolled by the
// Intermediate and trusting the TA, and a Trust Mark issued by the TA to the
// OP (the OP starts holding it half-way through this file).
//
// What the library offers, and so what it checks here (read from its
// dist/index.mjs): fetchEntityConfiguration, fetchEntityStatement,
// fetchEntityStatementChain, resolveTrustChains (collection up to a TA given
// by Entity ID, policy merge and application), combineMetadataPolicies /
// applyMetadataPolicyToMetadata, and zod schemas (entity statements, Trust
// Marks, trust_mark_issuers). It leaves to the caller the signature check
// (verifyJwtCallback: done here with jose). It lacks, and this file does with
// jose, saying so where it does: pinned Trust Anchor keys (it trusts the TA's
// self-signed Entity Configuration), the check that a subject's Entity
// Configuration verifies with the keys its superior's Subordinate Statement
// states (Final §10.2 step 3), validation of a supplied trust_chain array,
// Trust Mark validation, the resolve and Trust Mark status endpoints.
//
// DRAFT DIFFERENCES (the library follows an older draft; Trame the Final
// text). Each is asserted below, under the same label:
//  D1 Trust Mark type claim: the library's trustMarkClaimsSchema requires
//     `id`; Final §7.1 names it `trust_mark_type` (drafts: `id`, later
//     `trust_mark_id`). Trame's marks carry `trust_mark_type` and no `id`, so
//     the library's schema refuses them.
//  D2 `trust_marks` entries in an Entity Configuration: the library wants
//     `{id, trust_mark}`; Final §3.1 has `{trust_mark_type, trust_mark}`. Its
//     Entity Configuration schema therefore refuses the OP's configuration as
//     soon as the OP shows a Trust Mark (the error surfacing is D1, from the
//     mark's claims inside trust_marks[0], before the entry's own missing
//     `id`), and with it every chain from the OP: the library's chain checks
//     run before the OP holds the mark, and after it the test asserts the
//     exact refusal and does the rest with jose.
//  D3 fetch endpoint parameters: the library sends `iss` and `sub` (drafts
//     had an `iss` parameter, first required, then optional); Final §8.1.1
//     has `sub` only. Trame refuses any parameter it does not know with 400
//     `unsupported_parameter` (its only_known(), after §8.9), so the
//     library's fetch fails against Trame as it is. The test asserts that
//     refusal, then runs the library through a fetch that drops `iss` after
//     checking it names the endpoint's own entity (stripIss below).
//  D4 chain shape: the library's chain is [SS(superior->subject), ..., EC(TA)],
//     without the subject's Entity Configuration; Final §4 trust_chain (and
//     Trame's resolve response) is [EC(subject), SS..., EC(TA)].
//  Media type (not a draft difference but a strictness): the library compares
//  Content-Type for equality with `application/entity-statement+jwt`, no
//  parameters allowed; Trame sends exactly that. `typ` `entity-statement+jwt`
//  is the same in both.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as jose from 'jose';
import * as fed from '@openid-federation/core';

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set: run through conformance/federation/run.sh`);
  return v;
}
const BASE = required('TRAME_E2E_FED_BASE');
const BIN = required('TRAME_E2E_BIN');
const TA = `${BASE}/ta`;
const REGION = `${BASE}/region`;
const OP = `${BASE}/op`;
const MARK = `${TA}/marks/member`;
const ES_TYPE = 'application/entity-statement+jwt';

// --- helpers ------------------------------------------------------------------

function cli(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `trame ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}
function cliWithInput(input, ...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', input });
  assert.equal(r.status, 0, `trame ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

const realFetch = globalThis.fetch;
async function get(url, init) {
  const r = await realFetch(url, init);
  return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
}
const q = (params) => new URLSearchParams(params).toString();

// Every signature the library asks for, checked with jose against the key it
// picked (by `kid`, from the JWKS it chose). Records what it verified.
const verified = [];
async function verifyJwtCallback({ jwt, header, claims, jwk }) {
  try {
    const key = await jose.importJWK(jwk, header.alg);
    await jose.compactVerify(jwt, key, { algorithms: [header.alg] });
    verified.push({ iss: claims.iss, sub: claims.sub, kid: header.kid, typ: header.typ });
    return true;
  } catch {
    return false;
  }
}

// The compact JWS with one byte of its signature flipped.
function tamper(jwt) {
  const [h, p, s] = jwt.split('.');
  const sig = Buffer.from(s, 'base64url');
  sig[sig.length >> 1] ^= 0x01;
  return `${h}.${p}.${sig.toString('base64url')}`;
}

// A fetch that hands `rewrite(url, body)`'s result (a string, or a Response)
// in place of the body of a matching answer.
function rewritingFetch(match, rewrite) {
  return async (url, init) => {
    const r = await stripIss(url, init);
    if (!match(String(url))) return r;
    const out = rewrite(String(url), await r.text());
    return out instanceof Response ? out : new Response(out, { status: r.status, headers: r.headers });
  };
}
async function withGlobalFetch(f, body) {
  const real = globalThis.fetch;
  globalThis.fetch = f;
  try {
    return await body();
  } finally {
    globalThis.fetch = real;
  }
}

// D3: the fetch the library is run through against Trame's fetch endpoints:
// its pre-Final `iss` parameter dropped, once checked to be the Entity ID of
// the endpoint's owner. Records the URLs the library asked for.
const libraryFetches = [];
async function stripIss(url, init) {
  const u = new URL(String(url));
  libraryFetches.push(new URL(u));
  if (u.pathname.endsWith('/federation/fetch') && u.searchParams.has('iss')) {
    assert.equal(u.origin + u.pathname, `${u.searchParams.get('iss')}/federation/fetch`, 'iss names the fetch endpoint owner');
    u.searchParams.delete('iss');
  }
  return realFetch(u, init);
}

// Every message and zod issue path along an error's `cause` chain.
function describe(e) {
  const out = [];
  for (let c = e, i = 0; c && i < 8; c = c.cause, i++) {
    if (c.message) out.push(c.message);
    for (const issue of c.issues ?? []) out.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  return out.join(' | ');
}

// Final §10.2 on a trust_chain array [EC(subject), SS..., EC(TA)], with the
// TA's pinned keys. The library has no such function (its chains are only
// those it collects itself), so this is jose. Returns the decoded payloads.
async function validateChainFinal(chain, anchor, anchorJwks, now = Date.now() / 1000) {
  const es = chain.map((jwt) => ({ jwt, header: jose.decodeProtectedHeader(jwt), claims: jose.decodeJwt(jwt) }));
  const verifyWith = async (s, jwks) => {
    assert.equal(s.header.typ, 'entity-statement+jwt');
    await jose.compactVerify(s.jwt, jose.createLocalJWKSet(jwks));
  };
  for (const s of es) {
    assert.ok(s.claims.iat <= now + 60 && s.claims.exp > now, `statement ${s.claims.iss} -> ${s.claims.sub} is not current`);
  }
  assert.equal(es[0].claims.iss, es[0].claims.sub, 'ES[0] is the subject Entity Configuration');
  await verifyWith(es[0], es[0].claims.jwks);
  for (let j = 0; j < es.length - 1; j++) {
    assert.equal(es[j].claims.iss, es[j + 1].claims.sub, `ES[${j}].iss == ES[${j + 1}].sub`);
    await verifyWith(es[j], es[j + 1].claims.jwks);
  }
  const last = es[es.length - 1];
  assert.equal(last.claims.iss, anchor, 'the last statement is issued by the Trust Anchor');
  await verifyWith(last, anchorJwks);
  return es.map((s) => s.claims);
}

// --- shared state ---------------------------------------------------------------

let taKid; // the TA's federation key id, from the CLI (the out-of-band channel)
let taJwks; // the TA's keys, pinned: those of its Entity Configuration whose RFC 7638 thumbprint is taKid
let raw; // raw JWTs from Trame: { opEc, regionEc, taEc, ssOp, ssRegion }
let libChain; // the library's one trust chain from the OP to the TA
let markJwt;

before(async () => {
  const list = cli('federation', 'keys', 'list', '--tenant', 'ta');
  taKid = list.split('\n')[1].trim().split(/\s+/)[0];
  assert.match(taKid, /^[A-Za-z0-9_-]{43}$/);
  raw = {};
  for (const [k, url] of [
    ['opEc', `${OP}/.well-known/openid-federation`],
    ['regionEc', `${REGION}/.well-known/openid-federation`],
    ['taEc', `${TA}/.well-known/openid-federation`],
    ['ssOp', `${REGION}/federation/fetch?${q({ sub: OP })}`],
    ['ssRegion', `${TA}/federation/fetch?${q({ sub: REGION })}`],
  ]) {
    const r = await get(url);
    assert.equal(r.status, 200, `${url}: ${r.body}`);
    assert.equal(r.type, ES_TYPE, url);
    raw[k] = r.body;
  }
  const taEc = jose.decodeJwt(raw.taEc);
  const keys = [];
  for (const k of taEc.jwks.keys) {
    if ((await jose.calculateJwkThumbprint(k, 'sha256')) === taKid) keys.push(k);
  }
  assert.equal(keys.length, 1, 'the key the CLI lists is in the TA Entity Configuration, kid = its thumbprint');
  taJwks = { keys };
});

// --- the library, on Trame's statements -----------------------------------------------

test('Entity Configurations (library fetchEntityConfiguration)', async () => {
  verified.length = 0;
  const op = await fed.fetchEntityConfiguration({ entityId: OP, verifyJwtCallback });
  assert.equal(op.iss, OP);
  assert.equal(op.sub, OP);
  assert.deepEqual(op.authority_hints, [REGION]);
  assert.ok(op.exp instanceof Date && op.exp > new Date(), 'exp parsed by the library, in the future');
  assert.equal(op.metadata.openid_provider.issuer, OP);
  // Final §5.1.3: client_registration_types_supported is REQUIRED; the
  // library's openid_provider schema insists on it too.
  assert.ok(Array.isArray(op.metadata.openid_provider.client_registration_types_supported));
  assert.equal(op.metadata.federation_entity.federation_fetch_endpoint, undefined, 'a Leaf has no fetch endpoint');
  assert.equal(op.trust_marks, undefined, 'no Trust Mark held yet');

  const region = await fed.fetchEntityConfiguration({ entityId: REGION, verifyJwtCallback });
  assert.deepEqual(region.authority_hints, [TA]);
  assert.equal(region.metadata.federation_entity.federation_fetch_endpoint, `${REGION}/federation/fetch`);
  assert.equal(region.metadata.federation_entity.federation_list_endpoint, `${REGION}/federation/list`);

  const ta = await fed.fetchEntityConfiguration({ entityId: TA, verifyJwtCallback });
  assert.equal(ta.authority_hints, undefined, 'a Trust Anchor has no authority_hints');
  assert.equal(ta.metadata.federation_entity.organization_name, 'Interop Trust Anchor');
  assert.deepEqual(ta.metadata.federation_entity.contacts, ['ops@ta.example']);
  // trust_mark_issuers: the same shape in the library's draft and in Final.
  assert.deepEqual(fed.trustMarkIssuerSchema.parse(ta.trust_mark_issuers), { [MARK]: [TA] });

  // Each self-signed, `typ` entity-statement+jwt (the library's header schema
  // and Final agree), the TA's with the key the CLI lists.
  assert.deepEqual(
    verified.map((v) => [v.iss, v.sub, v.typ]),
    [OP, REGION, TA].map((e) => [e, e, 'entity-statement+jwt']),
  );
  assert.equal(verified[2].kid, taKid);
});

test('Subordinate Statements through the fetch endpoints (library fetchEntityStatement)', async () => {
  // D3: the library adds `iss` to the fetch query (older drafts); Final has
  // `sub` only. Observe what it sends, and that Trame answers anyway.
  // As it is, the library's fetch fails on Trame's 400 (JSON, not a statement).
  await assert.rejects(
    fed.fetchEntityStatement({ iss: REGION, sub: OP, verifyJwtCallback }),
    /received content-type 'application\/json' does not equal expected content-type 'application\/entity-statement\+jwt'/,
  );
  const withIss = await get(`${REGION}/federation/fetch?${q({ iss: REGION, sub: OP })}`);
  assert.equal(withIss.status, 400);
  assert.equal(JSON.parse(withIss.body).error, 'unsupported_parameter', 'D3: Trame refuses the pre-Final iss parameter');
  libraryFetches.length = 0;
  const ssOp = await fed.fetchEntityStatement({ iss: REGION, sub: OP, verifyJwtCallback, fetchCallback: stripIss });
  assert.equal(ssOp.iss, REGION);
  assert.equal(ssOp.sub, OP);
  const fetchUrl = libraryFetches.find((u) => u.pathname.endsWith('/federation/fetch'));
  assert.equal(fetchUrl.origin + fetchUrl.pathname, `${REGION}/federation/fetch`, 'endpoint taken from federation_fetch_endpoint');
  assert.equal(fetchUrl.searchParams.get('sub'), OP);
  assert.equal(fetchUrl.searchParams.get('iss'), REGION, 'D3: the library sends iss (pre-Final)');

  const ssRegion = await fed.fetchEntityStatement({ iss: TA, sub: REGION, verifyJwtCallback, fetchCallback: stripIss });
  assert.equal(ssRegion.iss, TA);
  assert.equal(ssRegion.sub, REGION);
  assert.deepEqual(ssRegion.metadata_policy, {
    openid_provider: {
      id_token_signing_alg_values_supported: { subset_of: ['ES256', 'PS256'] },
      contacts: { add: ['federation@ta.example'] },
    },
  });
  // What the superior states about the subject's keys: the subject's own.
  const opEc = jose.decodeJwt(raw.opEc);
  const regionEc = jose.decodeJwt(raw.regionEc);
  assert.deepEqual(ssOp.jwks.keys.map((k) => k.kid).sort(), opEc.jwks.keys.map((k) => k.kid).sort());
  assert.deepEqual(ssRegion.jwks.keys.map((k) => k.kid).sort(), regionEc.jwks.keys.map((k) => k.kid).sort());
  // Not in the library (Final §10.2 step 3), so jose: each subject's Entity
  // Configuration verifies with the keys its superior states.
  await jose.compactVerify(raw.opEc, jose.createLocalJWKSet(jose.decodeJwt(raw.ssOp).jwks));
  await jose.compactVerify(raw.regionEc, jose.createLocalJWKSet(jose.decodeJwt(raw.ssRegion).jwks));
  // A fetch for the issuer itself is refused (Final §8.1.2).
  const self = await get(`${REGION}/federation/fetch?${q({ sub: REGION })}`);
  assert.equal(self.status, 400);
  assert.equal(JSON.parse(self.body).error, 'invalid_request');
});

test('trust chain OP -> Intermediate -> TA (library resolveTrustChains), checked against the pinned TA key', async () => {
  verified.length = 0;
  // resolveTrustChains takes no fetch callback: it uses the global fetch,
  // replaced meanwhile by stripIss (D3).
  const chains = await withGlobalFetch(stripIss, () =>
    fed.resolveTrustChains({ entityId: OP, trustAnchorEntityIds: [TA], verifyJwtCallback }),
  );
  assert.equal(chains.length, 1, 'one chain');
  libChain = chains[0];
  assert.equal(libChain.valid, true);
  // D4: the library's chain has no subject Entity Configuration.
  assert.deepEqual(
    libChain.chain.map((s) => [s.iss, s.sub]),
    [
      [REGION, OP],
      [TA, REGION],
      [TA, TA],
    ],
  );
  assert.equal(libChain.rawLeafEntityConfiguration.sub, OP);
  assert.equal(libChain.trustAnchorEntityConfiguration.sub, TA);
  // The library verifies the TA's configuration with the TA's own JWKS; the
  // pin is ours: the key it used is the one the CLI lists.
  const taChecks = verified.filter((v) => v.iss === TA && v.sub === TA);
  assert.ok(taChecks.length > 0);
  for (const v of taChecks) assert.equal(v.kid, taKid);
  assert.deepEqual(libChain.trustAnchorEntityConfiguration.jwks.keys.map((k) => k.kid), taJwks.keys.map((k) => k.kid));

  // The same statements, as a Final trust_chain, validated with jose (§10.2).
  const claims = await validateChainFinal([raw.opEc, raw.ssOp, raw.ssRegion, raw.taEc], TA, taJwks);
  assert.deepEqual(
    claims.map((c) => [c.iss, c.sub]),
    [
      [OP, OP],
      [REGION, OP],
      [TA, REGION],
      [TA, TA],
    ],
  );
});

test('metadata policy merged and applied by the library', async () => {
  const lib = libChain.resolvedLeafMetadata;
  const leaf = libChain.rawLeafEntityConfiguration.metadata.openid_provider;
  // The anchor's policy: subset_of keeps ES256 of the OP's own list, add puts
  // the federation contact in.
  assert.ok(leaf.id_token_signing_alg_values_supported.length > 1);
  assert.deepEqual(lib.openid_provider.id_token_signing_alg_values_supported, ['ES256']);
  assert.deepEqual(lib.openid_provider.contacts, ['federation@ta.example']);
  // Nothing else touched.
  const untouched = (m) => {
    const { id_token_signing_alg_values_supported, contacts, ...rest } = m;
    return rest;
  };
  assert.deepEqual(untouched(lib.openid_provider), untouched(leaf));
  // The library's policy functions on their own, on Trame's statements, give
  // the same.
  const { mergedPolicy } = fed.combineMetadataPolicies({ statements: libChain.chain.slice(0, -1) });
  const { resolvedLeafMetadata } = fed.applyMetadataPolicyToMetadata({
    leafMetadata: libChain.rawLeafEntityConfiguration.metadata,
    policyMetadata: mergedPolicy,
  });
  assert.deepEqual(resolvedLeafMetadata, lib);
  // Compared with Trame's /federation/resolve in the last test: the running
  // server keeps a resolved chain until it expires, so its first resolve of
  // the OP is made once the OP shows its Trust Mark.
});

// --- negative checks: the library refuses what was tampered with -------------------------

test('the library rejects a tampered statement from Trame', async () => {
  const isFetch = (u) => u.includes('/federation/fetch');
  // (the library asks for `<entity>/.well-known/openid-federation?`, an empty query)
  const isOpEc = (u) => u.startsWith(`${OP}/.well-known/openid-federation`);
  await assert.rejects(
    fed.fetchEntityStatement({ iss: REGION, sub: OP, verifyJwtCallback, fetchCallback: rewritingFetch(isFetch, (_, b) => tamper(b)) }),
    /Signature in the JWT is invalid/,
  );
  await assert.rejects(
    fed.fetchEntityConfiguration({ entityId: OP, verifyJwtCallback, fetchCallback: rewritingFetch(isOpEc, (_, b) => tamper(b)) }),
    /Signature in the JWT is invalid/,
  );
  // In the whole resolution: the Intermediate's statement about the OP
  // tampered -> no chain.
  const isSsOp = (u) => u.startsWith(`${REGION}/federation/fetch?`);
  await withGlobalFetch(rewritingFetch(isSsOp, (_, b) => tamper(b)), () =>
    assert.rejects(fed.resolveTrustChains({ entityId: OP, trustAnchorEntityIds: [TA], verifyJwtCallback }), /Signature in the JWT is invalid/),
  );
  // The untouched statements still pass (the flip is what failed).
  const again = await withGlobalFetch(stripIss, () =>
    fed.resolveTrustChains({ entityId: OP, trustAnchorEntityIds: [TA], verifyJwtCallback }),
  );
  assert.equal(again.length, 1);
});

test('a chain with a statement removed is rejected', async () => {
  const ecs = await Promise.all([OP, REGION, TA].map((entityId) => fed.fetchEntityConfiguration({ entityId, verifyJwtCallback })));
  // The library builds the chain from the configurations; without the
  // Intermediate's, it asks the TA for a statement about the OP, which the TA
  // never issued (404 not_found, JSON), and gives up.
  await withGlobalFetch(stripIss, () =>
    assert.rejects(
      fed.fetchEntityStatementChain({ entityConfigurations: [ecs[0], ecs[2]], verifyJwtCallback }),
      /content-type 'application\/json'/,
    ),
  );
  const notFound = await get(`${TA}/federation/fetch?${q({ sub: OP })}`);
  assert.equal(notFound.status, 404);
  assert.equal(JSON.parse(notFound.body).error, 'not_found');
  // The full set still gives a chain.
  const full = await withGlobalFetch(stripIss, () => fed.fetchEntityStatementChain({ entityConfigurations: ecs, verifyJwtCallback }));
  assert.equal(full.length, 3);
  // In the whole resolution: the Intermediate's statement about the OP
  // withheld -> no chain.
  const isSsOp = (u) => u.startsWith(`${REGION}/federation/fetch?`);
  const gone = () =>
    new Response(JSON.stringify({ error: 'not_found' }), { status: 404, headers: { 'content-type': 'application/json' } });
  await withGlobalFetch(rewritingFetch(isSsOp, gone), () =>
    assert.rejects(fed.resolveTrustChains({ entityId: OP, trustAnchorEntityIds: [TA], verifyJwtCallback }), /content-type/),
  );
  // A supplied trust_chain with one statement removed: the library cannot
  // validate a supplied array, so jose (§10.2) refuses it. Leaving out the
  // TA's own Entity Configuration (the last) is allowed by Final §4: the last
  // Subordinate Statement then verifies with the pinned TA keys.
  const chain = [raw.opEc, raw.ssOp, raw.ssRegion, raw.taEc];
  for (const i of [0, 1, 2]) {
    const cut = chain.filter((_, j) => j !== i);
    await assert.rejects(validateChainFinal(cut, TA, taJwks), assert.AssertionError, `statement ${i} removed`);
  }
  await validateChainFinal(chain.slice(0, 3), TA, taJwks);
  await validateChainFinal(chain, TA, taJwks);
});

// --- Trust Mark: Final claim names the library does not know -------------------------

test('Trust Mark issued by the TA (jose; the library knows only the draft claim names)', async () => {
  const r = await get(`${TA}/federation/trust_mark?${q({ trust_mark_type: MARK, sub: OP })}`);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.type, 'application/trust-mark+jwt');
  markJwt = r.body.trim();
  // Not in the library: Trust Mark validation (Final §7.3), with jose.
  const { payload, protectedHeader } = await jose.jwtVerify(markJwt, jose.createLocalJWKSet(taJwks), {
    issuer: TA,
    subject: OP,
    typ: 'trust-mark+jwt',
  });
  assert.equal(protectedHeader.kid, taKid);
  assert.equal(payload.trust_mark_type, MARK);
  assert.equal(payload.id, undefined);
  assert.equal(payload.trust_mark_id, undefined);
  // The issuer is allowed for the type by the TA (Final §17.5).
  assert.ok(jose.decodeJwt(raw.taEc).trust_mark_issuers[MARK].includes(payload.iss));
  // D1: the library's Trust Mark claims schema wants `id`.
  const parsed = fed.trustMarkClaimsSchema.safeParse(payload);
  assert.equal(parsed.success, false);
  assert.deepEqual(
    parsed.error.issues.map((i) => [i.path.join('.'), i.code]),
    [['id', 'invalid_type']],
    'D1: only the missing `id` (Final: trust_mark_type) stops the library',
  );
  // With the draft name added, the same claims pass its schema: nothing else differs.
  assert.equal(fed.trustMarkClaimsSchema.safeParse({ ...payload, id: payload.trust_mark_type }).success, true);

  // Status (Final §8.4), not in the library.
  const s = await fetch(`${TA}/federation/trust_mark_status`, { method: 'POST', body: new URLSearchParams({ trust_mark: markJwt }) });
  assert.equal(s.status, 200);
  assert.equal(s.headers.get('content-type'), 'application/trust-mark-status-response+jwt');
  const status = await jose.jwtVerify(await s.text(), jose.createLocalJWKSet(taJwks), {
    issuer: TA,
    typ: 'trust-mark-status-response+jwt',
  });
  assert.equal(status.payload.status, 'active');
});

test('the OP shows the Trust Mark; the library refuses its configuration (D2), jose validates it', async () => {
  assert.ok(markJwt, 'the previous test fetched the mark');
  cliWithInput(`${markJwt}\n`, 'federation', 'trust-mark', 'hold', '--tenant', 'op');
  // The running server sees the CLI's change at its next catalog poll (~1 s).
  let ec;
  const deadline = Date.now() + 15000;
  for (;;) {
    const r = await get(`${OP}/.well-known/openid-federation`);
    ec = r.body;
    if (jose.decodeJwt(ec).trust_marks) break;
    assert.ok(Date.now() < deadline, 'the OP Entity Configuration did not show the Trust Mark within 15 s');
    await new Promise((res) => setTimeout(res, 200));
  }
  const claims = jose.decodeJwt(ec);
  // D2: the Final entry shape.
  assert.deepEqual(claims.trust_marks, [{ trust_mark_type: MARK, trust_mark: markJwt }]);

  // The library now refuses the OP's configuration, because of the entry
  // shape and the claim name alone.
  let err;
  await assert.rejects(
    fed.fetchEntityConfiguration({ entityId: OP, verifyJwtCallback }).catch((e) => {
      err = e;
      throw e;
    }),
  );
  // The refusal, from the outside in: the configuration JWT, its claims,
  // then the Trust Mark JWT inside trust_marks[0], whose claims lack `id`
  // (D1 inside D2: the library parses the entry's `trust_mark` and throws on
  // its claims before it reports the entry's own missing `id`).
  const chain = [];
  for (let c = err; c; c = c.cause) chain.push(c);
  assert.deepEqual(chain.slice(0, 3).map((c) => c.message), [
    'fetched entity configuration JWT is invalid',
    'invalid payload claims provided',
    'invalid payload claims provided',
  ], describe(err));
  const zod = chain.at(-1);
  assert.deepEqual(zod.issues.map((i) => [i.path.join('.'), i.code, i.message]), [['id', 'invalid_type', 'Required']], describe(err));
  // ...and every chain from the OP with it.
  await withGlobalFetch(stripIss, () =>
    assert.rejects(
      fed.resolveTrustChains({ entityId: OP, trustAnchorEntityIds: [TA], verifyJwtCallback }),
      /fetched entity configuration JWT is invalid/,
    ),
  );
  // D2 on its own: the entry shape. The same mark with the draft claim added
  // (an unsigned copy: the schemas do not verify signatures) in a Final entry
  // is refused for the entry's missing `id`; in a draft entry, and in the
  // whole configuration, it is taken: nothing else in Trame's configuration
  // stops the library.
  const [h, , sig] = markJwt.split('.');
  const markClaims = jose.decodeJwt(markJwt);
  const draftMark = `${h}.${Buffer.from(JSON.stringify({ ...markClaims, id: MARK })).toString('base64url')}.${sig}`;
  const finalEntry = fed.trustMarkSchema.safeParse({ trust_mark_type: MARK, trust_mark: draftMark });
  assert.equal(finalEntry.success, false);
  assert.deepEqual(finalEntry.error.issues.map((i) => [i.path.join('.'), i.code]), [['id', 'invalid_type']]);
  assert.equal(fed.trustMarkSchema.safeParse({ id: MARK, trust_mark: draftMark }).success, true);
  const draftClaims = { ...claims, trust_marks: [{ id: MARK, trust_mark: draftMark }] };
  assert.equal(fed.entityConfigurationClaimsSchema.safeParse(draftClaims).success, true);

  // jose: the configuration's signature, the entry's type equal to the mark's,
  // and the chain (Final §10.2) still valid.
  await jose.compactVerify(ec, jose.createLocalJWKSet(claims.jwks));
  assert.equal(jose.decodeJwt(claims.trust_marks[0].trust_mark).trust_mark_type, claims.trust_marks[0].trust_mark_type);
  const ss = (await get(`${REGION}/federation/fetch?${q({ sub: OP })}`)).body;
  await validateChainFinal([ec, ss, raw.ssRegion, raw.taEc], TA, taJwks);

});

test("Trame's /federation/resolve answers what the library resolved, with the Trust Mark", async () => {
  const r = await get(`${OP}/federation/resolve?${q({ sub: OP, trust_anchor: TA })}`);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.type, 'application/resolve-response+jwt');
  // Not in the library: the resolve response, checked with jose against the
  // resolver's (the OP's) federation keys.
  const opJwks = jose.decodeJwt(raw.opEc).jwks;
  const { payload, protectedHeader } = await jose.jwtVerify(r.body, jose.createLocalJWKSet(opJwks), {
    issuer: OP,
    subject: OP,
    typ: 'resolve-response+jwt',
  });
  assert.equal(protectedHeader.typ, 'resolve-response+jwt');
  // Its trust_chain has the Final shape and validates with the pinned keys.
  const chainClaims = await validateChainFinal(payload.trust_chain, TA, taJwks);
  assert.deepEqual(
    chainClaims.slice(1).map((c) => [c.iss, c.sub]),
    libChain.chain.map((s) => [s.iss, s.sub]),
    'D4: Trame trust_chain = [EC(subject)] + the library chain',
  );
  assert.deepEqual(chainClaims[0].trust_marks, [{ trust_mark_type: MARK, trust_mark: markJwt }]);
  // The metadata: the same as the library's resolution.
  assert.deepEqual(payload.metadata, libChain.resolvedLeafMetadata);
  // The mark: kept (verified, active, issuer allowed by the TA), Final shape.
  assert.deepEqual(payload.trust_marks, [{ trust_mark_type: MARK, trust_mark: markJwt }]);
  assert.ok(payload.exp <= jose.decodeJwt(markJwt).exp, 'exp no later than the mark');
  assert.ok(payload.exp <= Math.min(...chainClaims.map((c) => c.exp)), 'exp no later than the chain');
});

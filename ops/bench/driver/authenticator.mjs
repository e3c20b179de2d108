// A software passkey for the benchmark's passkey row: one ES256 (P-256)
// credential, answering Trame's WebAuthn options the way a browser and a
// platform authenticator would together.
//
// It mirrors the test authenticator of the Rust suites
// (idp/testkit/src/authenticator.rs, over 1Password's passkey-client), so
// the server sees the same kind of passkey there and here:
// - input: the options Trame sends the page (`{"publicKey": {...}}`,
//   binary values base64url), output: what `PublicKeyCredential.toJSON()`
//   gives the page to post back (themes/default/static/passkey.js);
// - attestation "none", AAGUID 5a…5a, user present and verified, flags
//   backup-eligible and backed-up (a synced passkey), transports
//   hybrid + internal, attachment "platform", credProps answered;
// - no signature counter (always 0, like synced passkeys): the saved file
//   never changes, and concurrent sign-ins with one passkey stay valid.
//
// The browser's checks are kept to what a benchmark can get wrong: the RP ID
// must be the page's host or a parent of it, ES256 must be offered, and an
// allow list, when sent, must name this credential.
//
// Persistence: `saveAll(file, list)` / `loadAll(file)` (the BENCH_PASSKEYS
// file): a JSON array of { rpId, username, credentialId, userHandle,
// privateKey } (base64url; the private key as PKCS#8 DER).
import * as crypto from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const ES256 = -7;
const AAGUID = Buffer.alloc(16, 0x5a); // testkit's SOFT_AAGUID
// Authenticator data flags (WebAuthn §6.1).
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const unb64u = (s) => Buffer.from(s, 'base64url');
const sha256 = (data) => crypto.createHash('sha256').update(data).digest();

// --- CBOR (RFC 8949), only what an attestation object needs ------------------
// Unsigned and negative integers, byte and text strings, maps (in the order
// given: callers list keys in CTAP2 canonical order, as authenticators do).
function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

export function cbor(v) {
  if (Number.isInteger(v)) return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, s.length), s]);
  }
  if (v instanceof Map) return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
  throw new Error(`cbor: unsupported value ${v}`);
}

// --- the browser's part ---------------------------------------------------------
/** The RP ID a page at `origin` may use (WebAuthn §5.1.3, simplified). */
function rpIdFor(requested, origin) {
  const host = new URL(origin).hostname;
  const rpId = requested ?? host;
  if (host !== rpId && !host.endsWith(`.${rpId}`)) throw new Error(`SecurityError: ${origin} may not use RP ID ${rpId}`);
  return rpId;
}

/** Client data as browsers serialize it: these four keys, in this order. */
function clientData(type, challenge, origin) {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

export class Authenticator {
  /** @param {{rpId: string, username: string, credentialId: Buffer, userHandle: Buffer, privateKey: crypto.KeyObject}} p */
  constructor(p) {
    Object.assign(this, p);
  }

  /**
   * Answers creation options (`{"publicKey": ...}`) for a page at `origin`:
   * a new credential, and the registration body the page would post.
   */
  static register(options, origin) {
    const pk = options.publicKey;
    if (!pk?.challenge || !pk.user?.id) throw new Error('creation options without challenge or user.id');
    if (!pk.pubKeyCredParams?.some((p) => p.type === 'public-key' && p.alg === ES256)) throw new Error('NotSupportedError: ES256 not offered');
    const rpId = rpIdFor(pk.rp?.id, origin);
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const auth = new Authenticator({
      rpId,
      username: pk.user.name,
      // 16 random bytes, as passkey-authenticator makes them.
      credentialId: crypto.randomBytes(16),
      userHandle: unb64u(pk.user.id),
      privateKey,
    });

    const jwk = publicKey.export({ format: 'jwk' });
    // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
    const coseKey = cbor(new Map([[1, 2], [3, ES256], [-1, 1], [-2, unb64u(jwk.x)], [-3, unb64u(jwk.y)]]));
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(auth.credentialId.length);
    const authData = Buffer.concat([auth.header(UP | UV | BE | BS | AT), AAGUID, idLen, auth.credentialId, coseKey]);
    const attestationObject = cbor(new Map([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    const clientDataJSON = clientData('webauthn.create', pk.challenge, origin);
    const credential = {
      id: b64u(auth.credentialId),
      rawId: b64u(auth.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        publicKey: b64u(publicKey.export({ format: 'der', type: 'spki' })),
        publicKeyAlgorithm: ES256,
        attestationObject: b64u(attestationObject),
        transports: ['hybrid', 'internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: pk.extensions?.credProps ? { credProps: { rk: true } } : {},
    };
    return { authenticator: auth, credential };
  }

  /** RP ID hash, flags, signature counter (always 0: no counter). */
  header(flags) {
    return Buffer.concat([sha256(this.rpId), Buffer.from([flags]), Buffer.alloc(4)]);
  }

  /**
   * Answers request options (`{"publicKey": ...}`) for a page at `origin`:
   * the authentication body the page would post.
   */
  sign(options, origin) {
    const pk = options.publicKey;
    if (!pk?.challenge) throw new Error('request options without challenge');
    if (rpIdFor(pk.rpId, origin) !== this.rpId) throw new Error(`NotAllowedError: no credential for RP ID ${pk.rpId}`);
    const allow = pk.allowCredentials ?? [];
    if (allow.length && !allow.some((c) => unb64u(c.id).equals(this.credentialId))) throw new Error('NotAllowedError: this credential is not in the allow list');
    const clientDataJSON = clientData('webauthn.get', pk.challenge, origin);
    const authData = this.header(UP | UV | BE | BS);
    // ECDSA over authenticatorData ‖ SHA-256(clientDataJSON), DER-encoded.
    const signature = crypto.sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: b64u(this.credentialId),
      rawId: b64u(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: b64u(this.userHandle),
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  toJSON() {
    return {
      rpId: this.rpId,
      username: this.username,
      credentialId: b64u(this.credentialId),
      userHandle: b64u(this.userHandle),
      privateKey: b64u(this.privateKey.export({ format: 'der', type: 'pkcs8' })),
    };
  }

  static load(j) {
    return new Authenticator({
      rpId: j.rpId,
      username: j.username,
      credentialId: unb64u(j.credentialId),
      userHandle: unb64u(j.userHandle),
      privateKey: crypto.createPrivateKey({ key: unb64u(j.privateKey), format: 'der', type: 'pkcs8' }),
    });
  }
}

export function saveAll(file, authenticators) {
  writeFileSync(file, JSON.stringify(authenticators, null, 1) + '\n', { mode: 0o600 });
}

export function loadAll(file) {
  const list = JSON.parse(readFileSync(file, 'utf8')).map((j) => Authenticator.load(j));
  if (!list.length) throw new Error(`${file} holds no passkey`);
  return list;
}

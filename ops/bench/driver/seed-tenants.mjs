// Many tenants fast, for the scale scenario: `trame tenant add` takes about
// 0.4–0.8 s per tenant on PostgreSQL, too slow for 10,000. This writes the
// same rows as `Store::create_tenant` (idp/store/src/repo/tenants.rs): a
// tenant (other columns copied from the `default` tenant), its first ES256
// signing key and its first federation key, each a PKCS#8 PEM sealed with
// the master key by AES-256-GCM, base64url(nonce ‖ ciphertext ‖ tag), the
// key id as associated data (idp/store/src/master_key.rs). Without the
// federation key, start-up would create 9,998 of them before being ready.
//
//   node seed-tenants.mjs MASTER_KEY_FILE PUBLIC_URL FROM TO OUT.csv
//
// (Written in one writeFileSync at the end.)
//
// CSV columns: id, slug, issuer, pairwise_salt, kid, private_key_sealed, public_jwk,
// federation_kid, federation_private_key_sealed, federation_public_jwk.
import * as crypto from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const [keyFile, publicUrl, from, to, outFile] = process.argv.slice(2);
const master = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64url');
if (master.length !== 32) throw new Error('master key must be 32 bytes');
const b64 = (b) => Buffer.from(b).toString('base64url');
const csv = (s) => `"${String(s).replace(/"/g, '""')}"`;

// One ES256 key: [kid, sealed PKCS#8 PEM, public JWK]. Federation keys
// (Store::create_tenant's second key) take the RFC 7638 thumbprint as kid,
// as trame_jose::SigningKey does without a given kid.
function es256Key(kid) {
  // createECDH rather than generateKeyPairSync, which hung after about a
  // thousand keys under Node 20 in this loop.
  const ecdh = crypto.createECDH('prime256v1');
  const pub = ecdh.generateKeys();
  const x = b64(pub.subarray(1, 33));
  const y = b64(pub.subarray(33, 65));
  const d = b64(ecdh.getPrivateKey());
  kid ??= b64(crypto.createHash('sha256').update(JSON.stringify({ crv: 'P-256', kty: 'EC', x, y })).digest());
  const pem = crypto.createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x, y, d }, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' });
  const nonce = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', master, nonce);
  c.setAAD(Buffer.from(kid));
  const sealed = b64(Buffer.concat([nonce, c.update(pem), c.final(), c.getAuthTag()]));
  return [kid, sealed, JSON.stringify({ kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' })];
}

const lines = [];
for (let i = Number(from); i < Number(to); i++) {
  const slug = `t${i}`;
  const signing = es256Key(b64(crypto.randomBytes(16)));
  const federation = es256Key();
  lines.push([b64(crypto.randomBytes(16)), slug, `${publicUrl}/${slug}`, b64(crypto.randomBytes(32)), ...signing, ...federation].map(csv).join(','));
}
writeFileSync(outFile, lines.join('\n') + '\n');

// 9. Pairwise subject identifiers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { CLIENTS, signIn, client, jwtHeader } from './lib/setup.mjs';
import { Browser } from './lib/browser.mjs';

test('pairwise: a --subject-type pairwise client on another redirect host sees a different, stable sub', async () => {
  assert.notEqual(new URL(CLIENTS.pairwise.redirectUri).hostname, new URL(CLIENTS.basic.redirectUri).hostname);
  const browser = new Browser();
  const pub = await signIn('basic', { browser });
  const pw = await signIn('pairwise', { browser });
  assert.equal(jwtHeader(pw.tokens.id_token).alg, 'ES256');
  assert.equal(typeof pw.claims.sub, 'string');
  assert.ok(pw.claims.sub.length > 0);
  assert.notEqual(pw.claims.sub, pub.claims.sub, 'the pairwise sub differs from the public sub');

  // UserInfo for the pairwise client uses the pairwise sub too.
  const info = await client.fetchUserInfo(pw.config, pw.tokens.access_token, pw.claims.sub);
  assert.equal(info.sub, pw.claims.sub);

  // Stable: a fresh sign-in (new browser) yields the same pairwise sub.
  const again = await signIn('pairwise');
  assert.equal(again.claims.sub, pw.claims.sub, 'the pairwise sub is stable');
});

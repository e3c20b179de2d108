// Unit tests of oidf/lib/suite.mjs checks that need no server: the token
// response check (CheckTokenEndpointCacheHeaders, and RFC 6749 §5.1's
// Cache-Control: no-store required) and the marking of failures the real
// suite gives (upstreamFails). suite.mjs reads run.sh's environment when
// loaded: placeholders are set first.
//   node --test unit/
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const setup = readFileSync(new URL('../tests/lib/setup.mjs', import.meta.url), 'utf8');
for (const [, name] of setup.matchAll(/required\('([A-Z0-9_]+)'\)/g)) {
  process.env[name] ??= name.endsWith('URI') || name.endsWith('ISSUER') ? 'http://localhost:9/placeholder' : 'placeholder';
}
const { checkTokenResponse, upstreamFails } = await import('../oidf/lib/suite.mjs');

const tokens = { access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: 'x.y.z' };
const exchange = (headers) => ({ status: 200, headers: new Headers({ 'content-type': 'application/json', ...headers }) });

test('checkTokenResponse: a token response without Cache-Control: no-store fails', () => {
  checkTokenResponse(exchange({ 'cache-control': 'no-store' }), tokens);
  checkTokenResponse(exchange({ 'cache-control': 'private, No-Store', pragma: 'no-cache' }), tokens);
  assert.throws(() => checkTokenResponse(exchange({}), tokens), /Cache-Control: no-store.*missing/);
  assert.throws(() => checkTokenResponse(exchange({ 'cache-control': 'no-cache' }), tokens), /Cache-Control contains no-store/);
  assert.throws(() => checkTokenResponse(exchange({ 'cache-control': 'no-store', pragma: 'public' }), tokens), /Pragma contains no-cache/);
});

test('upstreamFails marks the module when the check fails, and only then', async () => {
  const marks = [];
  const t = { todo: (m) => marks.push(m) };
  await upstreamFails(t, { reason: 'r1' }, () => {});
  assert.deepEqual(marks, [], 'a check that passes leaves the module unmarked');
  await assert.rejects(upstreamFails(t, { reason: 'r2' }, () => assert.fail('no')), /no/);
  await assert.rejects(upstreamFails(t, { byDesign: true, reason: 'r3' }, async () => assert.fail('no')), /no/);
  assert.deepEqual(marks, ['failed: r2', 'failed by design: r3']);
});

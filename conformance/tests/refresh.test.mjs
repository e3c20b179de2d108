// 4. Refresh token rotation and reuse detection; 6. refresh token revocation.
// Both use a dedicated client ("refresh") so that revoking a token family
// cannot disturb the other test files.
import test from 'node:test';
import assert from 'node:assert/strict';
import { signIn, client, rejectsWithOAuthError } from './lib/setup.mjs';

async function userinfoStatus(config, accessToken) {
  const res = await fetch(config.serverMetadata().userinfo_endpoint, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  await res.arrayBuffer();
  return res.status;
}

test('refresh tokens rotate, and reusing an old one revokes the whole family', async () => {
  const { tokens: t1, claims, config } = await signIn('refresh', { scope: 'openid offline_access' });
  const rt1 = t1.refresh_token;
  assert.equal(typeof rt1, 'string', 'a refresh token is issued for offline_access');

  // Rotation: the refresh gives a new refresh token and a working access token.
  const t2 = await client.refreshTokenGrant(config, rt1);
  const rt2 = t2.refresh_token;
  assert.equal(typeof rt2, 'string', 'the refresh response carries a new refresh token');
  assert.notEqual(rt2, rt1, 'the refresh token rotated');
  assert.notEqual(t2.access_token, t1.access_token);
  if (t2.id_token) assert.equal(t2.claims().sub, claims.sub);
  const info = await client.fetchUserInfo(config, t2.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);
  assert.equal((await client.tokenIntrospection(config, t2.access_token)).active, true, 'new access token is active before the reuse');

  // Reuse of the rotated-out token is rejected ...
  await rejectsWithOAuthError(client.refreshTokenGrant(config, rt1), 'invalid_grant', { message: 'reusing the old refresh token' });

  // ... and revokes the family: the newest refresh token and the access tokens.
  await rejectsWithOAuthError(client.refreshTokenGrant(config, rt2), 'invalid_grant', { message: 'the newest refresh token after reuse' });
  const intro2 = await client.tokenIntrospection(config, t2.access_token);
  assert.equal(intro2.active, false, 'latest access token is inactive after reuse detection');
  const intro1 = await client.tokenIntrospection(config, t1.access_token);
  assert.equal(intro1.active, false, 'first access token is inactive after reuse detection');
  assert.equal(await userinfoStatus(config, t2.access_token), 401, 'userinfo rejects the latest access token');
});

test('a revoked refresh token can no longer be used (RFC 7009)', async () => {
  const { tokens, config } = await signIn('refresh', { scope: 'openid offline_access' });
  const rt = tokens.refresh_token;
  assert.equal(typeof rt, 'string', 'a refresh token is issued for offline_access');
  await client.tokenRevocation(config, rt);

  await rejectsWithOAuthError(client.refreshTokenGrant(config, rt), 'invalid_grant', { message: 'refreshing with a revoked refresh token' });
});

// The admin API as a script written from its OpenAPI document alone: the
// document is valid OpenAPI (checked by an independent validator), names
// the token endpoint and the server, and its operations find, create,
// reset the credentials of, disable and erase an account, each step in the
// audit trail. The operator's document (tenants) is valid OpenAPI too.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ISSUER, USER } from './lib/setup.mjs';

const ADMIN = { id: process.env.TRAME_E2E_ADMIN_CLIENT_ID, secret: process.env.TRAME_E2E_ADMIN_CLIENT_SECRET };

async function documentOf(issuer) {
  const r = await fetch(`${issuer}/admin/api/v1/openapi.json`);
  assert.equal(r.status, 200);
  return r.json();
}

test('admin API: the OpenAPI document is valid OpenAPI 3.1', async () => {
  const doc = await documentOf(ISSUER);
  const validator = new Validator();
  const res = await validator.validate(doc);
  assert.ok(res.valid, `the document does not match the OpenAPI schema: ${JSON.stringify(res.errors, null, 2)}`);
  assert.equal(validator.version, '3.1');
});

test("admin API: the operator's OpenAPI document is valid OpenAPI 3.1 and describes the tenants", async () => {
  const r = await fetch(`${new URL(ISSUER).origin}/_trame/admin/api/v1/openapi.json`);
  assert.equal(r.status, 200);
  const doc = await r.json();
  const validator = new Validator();
  const res = await validator.validate(doc);
  assert.ok(res.valid, `the document does not match the OpenAPI schema: ${JSON.stringify(res.errors, null, 2)}`);
  assert.ok(doc.paths['/tenants'].get && doc.paths['/tenants'].post, 'list and create');
  assert.ok(doc.paths['/tenants/{slug}'].patch && doc.paths['/tenants/{slug}'].delete, 'update and remove');
});

test('admin API: a script guided by the document finds, disables and erases an account', async () => {
  assert.ok(ADMIN.id && ADMIN.secret, 'run through conformance/run.sh');
  const doc = await documentOf(ISSUER);
  const base = doc.servers[0].url;
  const tokenUrl = doc.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl;
  const scope = Object.keys(doc.components.securitySchemes.oauth2.flows.clientCredentials.scopes).find((s) => s === 'trame:admin');
  for (const p of ['/users', '/users/{id}', '/users/{id}/disable', '/users/{id}/reset-credentials', '/audit']) {
    assert.ok(doc.paths[p], `${p} is documented`);
  }

  // The token, from the token endpoint the document names, with a
  // certified client library.
  const config = new client.Configuration(
    { issuer: ISSUER, token_endpoint: tokenUrl },
    ADMIN.id,
    { token_endpoint_auth_method: 'client_secret_basic' },
    client.ClientSecretBasic(ADMIN.secret),
  );
  client.allowInsecureRequests(config);
  const { access_token: token } = await client.clientCredentialsGrant(config, { scope });
  const api = async (method, path, body, headers = {}) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : undefined };
  };

  // The seeded citizen, by the start of her family name.
  const found = await api('GET', `/users?q=${encodeURIComponent(USER.familyName.slice(0, 4).toLowerCase())}`);
  assert.equal(found.status, 200, JSON.stringify(found.body));
  assert.ok(found.body.items.some((u) => u.username === USER.username), JSON.stringify(found.body));

  // A new account: created, changed under its ETag, disabled, erased.
  const made = await api('POST', '/users', { username: 'e2e-camille', family_name: 'Éloi', email: 'camille@example.com' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id;
  const stale = made.headers.get('etag');
  const changed = await api('PATCH', `/users/${id}`, { given_name: 'Camille' }, { 'if-match': stale, 'content-type': 'application/merge-patch+json' });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  const late = await api('PATCH', `/users/${id}`, { given_name: 'Cam' }, { 'if-match': stale });
  assert.equal(late.status, 412);
  assert.equal(late.headers.get('content-type'), 'application/problem+json');
  assert.equal(late.body.code, 'stale_version');
  // No credential to remove and no verified address: nothing is mailed.
  const reset = await api('POST', `/users/${id}/reset-credentials`);
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  assert.deepEqual(reset.body, { link_sent: false, removed: { passkeys: 0, password: false, totp: false, recovery_codes: 0 }, sessions_ended: 0 });
  const disabled = await api('POST', `/users/${id}/disable`);
  assert.equal(disabled.body.disabled, true);
  assert.equal((await api('DELETE', `/users/${id}`)).status, 204);
  assert.equal((await api('GET', `/users/${id}`)).status, 404);

  const trail = await api('GET', `/audit?user=${id}`);
  assert.deepEqual(trail.body.items.map((e) => e.action), ['user.removed', 'user.disabled', 'user.credentials_reset', 'user.updated', 'user.created']);
  assert.ok(trail.body.items.every((e) => e.actor === `client:${ADMIN.id}`));
});

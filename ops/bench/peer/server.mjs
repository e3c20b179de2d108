// The peer of the benchmark: panva's oidc-provider (OpenID Certified),
// configured for the same work as Trame (see ../README.md, "Equivalence"):
//
// - one ES256 key; ID tokens ES256;
// - client_credentials issues JWT access tokens (RFC 9068 profile, ES256)
//   through a resource indicator applied by default to that grant;
// - authorization code flow with PKCE, skip-consent for the first-party
//   client (a grant is created on first sign-in, as Trame's --skip-consent),
//   refresh tokens always rotated (Trame rotates every time);
// - a sign-in page with `username` + `password` checked with argon2id at
//   Trame's parameters (m=19456 KiB, t=2, p=1), so the same driver signs in
//   on both servers and pays for the same hash;
// - the in-memory adapter (oidc-provider's default), routes renamed to
//   Trame's paths so the same load scripts hit both.
//
// Environment: PORT, ISSUER (http://localhost:PORT), BENCH_SECRET (client
// secret of both clients), BENCH_PASSWORD, BENCH_USERS (accounts bench0..N-1).
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import argon2 from 'argon2';
import Provider from 'oidc-provider';

const PORT = Number(process.env.PORT ?? 3000);
const ISSUER = process.env.ISSUER ?? `http://localhost:${PORT}`;
const SECRET = process.env.BENCH_SECRET ?? 'bench-secret-bench-secret-bench-secret';
const PASSWORD = process.env.BENCH_PASSWORD ?? 'bench password';
const USERS = Number(process.env.BENCH_USERS ?? 64);
const REDIRECT_URI = process.env.BENCH_REDIRECT_URI ?? 'http://localhost:9/cb';
const API = 'urn:trame-bench:api';

// One argon2id hash shared by every account, as in Trame's bulk set-up.
const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
const accounts = new Map();
for (let i = 0; i < USERS; i++) {
  const sub = crypto.randomUUID();
  accounts.set(`bench${i}`, { sub, hash, email: `bench${i}@example.fr`, given_name: 'Bench', family_name: `User${i}` });
}
const bySub = new Map([...accounts.values()].map((a) => [a.sub, a]));

const signingKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
signingKey.kid = crypto.randomBytes(8).toString('hex');
signingKey.alg = 'ES256';
signingKey.use = 'sig';

const provider = new Provider(ISSUER, {
  clients: [
    {
      client_id: 'bench-web',
      client_secret: SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid profile email offline_access',
    },
    {
      client_id: 'bench-m2m',
      client_secret: SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
    },
  ],
  clientDefaults: { id_token_signed_response_alg: 'ES256' },
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  claims: { openid: ['sub'], profile: ['given_name', 'family_name'], email: ['email'] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // client_credentials gets the API as audience, hence a JWT; the code
      // flow gets none, hence an opaque token usable at userinfo.
      defaultResource: (ctx, _client, oneOf) => (ctx.oidc.params?.grant_type === 'client_credentials' ? API : oneOf),
      useGrantedResource: () => false,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience: API,
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
  ttl: { AccessToken: 300, ClientCredentials: 300, IdToken: 300, AuthorizationCode: 60 },
  routes: {
    authorization: '/authorize',
    token: '/token',
    userinfo: '/userinfo',
    introspection: '/introspect',
    revocation: '/revoke',
    jwks: '/jwks',
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, sub) => {
    const a = bySub.get(sub);
    if (!a) return undefined;
    return {
      accountId: sub,
      claims: () => ({ sub, email: a.email, email_verified: true, given_name: a.given_name, family_name: a.family_name }),
    };
  },
  // First-party client: consent is implied (Trame's --skip-consent).
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const g = await ctx.oidc.provider.Grant.find(grantId);
      if (g) return g;
    }
    if (!ctx.oidc.session.accountId) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email offline_access');
    await grant.save();
    return grant;
  },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: () => true,
});

function page(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html><body>${html}</body></html>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// The sign-in interaction: username + password, nothing else.
async function interaction(req, res, path) {
  const details = await provider.interactionDetails(req, res);
  const uid = details.uid;
  if (req.method === 'GET') {
    if (details.prompt.name !== 'login') {
      // consent is implied by loadExistingGrant; nothing else is expected
      return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    }
    return page(
      res,
      200,
      `<form method="post" action="/interaction/${uid}/login">` +
        `<input name="username" autocomplete="username"><input type="password" name="password">` +
        `<button type="submit">Se connecter</button></form>`,
    );
  }
  if (req.method === 'POST' && path.endsWith('/login')) {
    const form = await readForm(req);
    const a = accounts.get(form.get('username') ?? '');
    const ok = await argon2.verify(a?.hash ?? hash, form.get('password') ?? '');
    if (!a || !ok) return page(res, 401, 'refusé');
    return provider.interactionFinished(req, res, { login: { accountId: a.sub } }, { mergeWithLastSubmission: false });
  }
  return page(res, 404, 'not found');
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (path.startsWith('/interaction/')) {
    interaction(req, res, path).catch((err) => {
      if (!res.headersSent) page(res, 400, String(err?.message ?? err));
    });
    return;
  }
  callback(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(PORT, '127.0.0.1', () => console.log(`oidc-provider ${ISSUER} listening on 127.0.0.1:${PORT}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)).closeAllConnections());

// Browser suite: passkeys in headless Chromium with DevTools virtual
// authenticators — sign-up, sign-out, sign-in at a relying party (button and
// autofill), the account page (add, rename, remove, the passkey just used,
// a new passkey's default name), recovery codes, the button's name in both
// languages, and refusals shown by the page (only those of what the person
// did).
//
// Each test makes what it needs itself: an account of its own, signed up
// through /signup in a separate context (newAccount: its username, recovery
// codes, its credential exported from the virtual authenticator with its
// private key, put by the test on its own authenticator in a fresh context,
// and its subject as a relying party saw it from the sign-up's session).
// So every test passes alone (--test-name-pattern) and in any order.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ISSUER, CLIENTS, REDIRECT_URI, USER, rp, newRequest, client, signIn } from '../tests/lib/setup.mjs';
import { launch, openContext, waitForSignIn, approveConsent, LABELS, TEST_TIMEOUT, ISSUER_ORIGIN, messages } from './lib/harness.mjs';

const L = LABELS.fr;
const SESSION_COOKIE = 'trame_session_default';
const RP_ID = new URL(ISSUER).hostname;
/** Recovery codes: 16 symbols of Crockford's base32, lowercase, in groups of four. */
const CODE_FORMAT = /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/;
/** What a passkey with user verification gives (device-bound or synced). */
const PASSKEY_AMRS = [
  ['hwk', 'user', 'mfa'],
  ['swk', 'user', 'mfa'],
];
/** The French texts the tests look for, from the translation file (typography included). */
const FR = messages('fr');
const TEXT = {
  codesLeft: (n) => `Codes non utilisés restants\u00a0: ${n}.`,
  added: FR['passkey-added'],
  renamed: FR['passkey-renamed'],
  removed: FR['passkey-removed'],
  lastConfirm: FR['passkey-last-confirm'],
  lastConfirmLabel: FR['passkey-last-confirm-label'],
  recovered: FR.recovered,
  recoveryFailed: FR['recovery-failed'],
  unknownPasskey: FR['passkey-unknown'],
  usernameTaken: { fr: 'Cet identifiant est déjà pris. Choisissez-en un autre.', en: 'This username is taken. Choose another one.' },
  usernameInvalid: { fr: 'Un identifiant compte 2 à 64 caractères, sans espace.', en: 'A username has 2 to 64 characters and no spaces.' },
};

let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function uniqueName(prefix) {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

async function sessionCookie(s) {
  return (await s.context.cookies(ISSUER)).find((c) => c.name === SESSION_COOKIE && c.value !== '');
}

/** The passkey status region of the page: { hidden, text, code, role }. */
async function passkeyStatus(page) {
  return page.locator('#passkey-status').evaluate((e) => ({ hidden: e.hidden, text: e.textContent, code: e.dataset.code, role: e.getAttribute('role') }));
}

/** The passkeys listed on the account page: [{ id, name }]. */
async function listedPasskeys(page) {
  return page.locator('#passkey-list li.passkey').evaluateAll((items) =>
    items.map((li) => ({ id: li.querySelector('input[name="id"]').value, name: li.querySelector('strong').textContent.trim(), text: li.textContent })),
  );
}

function passkeyItem(page, id) {
  return page.locator('#passkey-list li.passkey', { has: page.locator(`input[name="id"][value="${id}"]`) }).first();
}

async function notice(page) {
  const n = page.locator('p#notice');
  await n.waitFor();
  assert.equal(await n.getAttribute('role'), 'status', 'the notice is a status region');
  return (await n.textContent()).trim();
}

/** Redeems the code of an authorization response and returns the verified ID token claims. */
async function redeem(config, req, callbackUrl) {
  const tokens = await client.authorizationCodeGrant(config, new URL(callbackUrl), {
    pkceCodeVerifier: req.codeVerifier,
    expectedState: req.state,
    expectedNonce: req.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.equal(claims.iss, ISSUER);
  assert.equal(claims.nonce, req.nonce);
  return claims;
}

function assertPasskeyClaims(claims, what) {
  assert.ok(
    PASSKEY_AMRS.some((a) => JSON.stringify(a) === JSON.stringify(claims.amr)),
    `${what}: amr is ${JSON.stringify(claims.amr)}, expected one of ${JSON.stringify(PASSKEY_AMRS)}`,
  );
  assert.equal(claims.acr, 'eidas2', `${what}: acr`);
  const now = Math.floor(Date.now() / 1000);
  assert.ok(Math.abs(now - claims.auth_time) < 120, `${what}: auth_time ${claims.auth_time} is recent (now ${now})`);
}

/** The WebAuthn calls recorded from index `from` on, as 'op/mediation/phase[/error]' strings. */
function calls(s, from = 0) {
  return s.webauthnCalls.slice(from).map((c) => [c.op, c.mediation ?? 'modal', c.phase, c.error].filter(Boolean).join('/'));
}

function requestsTo(s, path, method = 'POST') {
  return s.requests.filter((r) => r.method === method && r.url.split('?')[0] === `${ISSUER}${path}`);
}


/**
 * A new account, signed up with a passkey at /signup in a context of its
 * own (`<name>-setup`): { username, email, codes, credential, userHandle,
 * sub }. `credential` is the authenticator's passkey with its private key
 * (WebAuthn.Credential), for a test to put on its own authenticator; `sub`
 * is the subject a relying party (e2e-post) gets from the sign-up's own
 * session (prompt=none), found without the passkey. With `keepOpen`, the
 * signed-in context is returned too ({ s, page, auth }) and the caller
 * closes it.
 */
async function newAccount(name, { keepOpen = false } = {}) {
  const s = await openContext(browser, `${name}-setup`, { webauthn: true });
  let kept = false;
  try {
    const page = await s.newPage();
    const auth = await s.addAuthenticator(page);
    const username = uniqueName('pk');
    const email = `${username}@example.com`;
    await page.goto(`${ISSUER}/signup`);
    await page.getByLabel(L.username, { exact: true }).fill(username);
    await page.getByLabel(L.email, { exact: true }).fill(email);
    await page.getByRole('button', { name: L.signupButton, exact: true }).click();
    const list = page.locator('ol#code-list');
    await list.locator('li').nth(9).waitFor();
    const codes = (await list.locator('li').allTextContents()).map((c) => c.trim());
    const [credential] = await auth.credentials();
    assert.ok(credential, `${name}: the sign-up made a passkey`);
    assert.equal(credential.userName, username);

    const config = await rp('post'); // no consent page
    const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri, extra: { prompt: 'none' } });
    const callback = s.nextRpHit(REDIRECT_URI);
    await page.goto(req.url.href);
    const claims = await redeem(config, req, (await callback).url);
    const account = { username, email, codes, credential, userHandle: credential.userHandle, sub: claims.sub };
    if (keepOpen) {
      kept = true;
      return { ...account, session: { s, page, auth } };
    }
    return account;
  } finally {
    if (!kept) await s.close();
  }
}

test('passkeys: sign-up with a passkey shows 10 recovery codes once, then the account page lists the passkey', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'passkey-signup', { webauthn: true });
  try {
    const page = await s.newPage();
    const auth = await s.addAuthenticator(page);
    const username = uniqueName('pk');
    const email = `${username}@example.com`;

    await page.goto(`${ISSUER}/signup`);
    await page.getByRole('heading', { level: 1, name: L.signupTitle }).waitFor();
    await s.shot(page, 'signup');
    await page.getByLabel(L.username, { exact: true }).fill(username);
    await page.getByLabel(L.email, { exact: true }).fill(email);
    await page.getByRole('button', { name: L.signupButton, exact: true }).click();

    // The codes replace the form, in the same page.
    const list = page.locator('ol#code-list');
    await list.locator('li').nth(9).waitFor();
    assert.equal(await page.locator('#signup-step').isHidden(), true, 'the sign-up form is hidden');
    assert.equal(await page.locator('section#codes').isVisible(), true, 'the codes section is shown');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'codes-title', 'focus moves to the codes heading');
    const codes = (await list.locator('li').allTextContents()).map((c) => c.trim());
    assert.equal(codes.length, 10, 'ten recovery codes');
    assert.equal(new Set(codes).size, 10, 'the codes are distinct');
    for (const c of codes) assert.match(c, CODE_FORMAT);
    const cont = page.getByRole('link', { name: L.codesContinue, exact: true });
    assert.equal(await cont.getAttribute('id'), 'codes-continue');
    assert.equal(await cont.getAttribute('href'), `${ISSUER}/account`, 'a sign-up started at /signup continues to the account page');
    await s.shot(page, 'recovery-codes');
    assert.deepEqual(calls(s), ['create/modal/start', 'create/modal/ok']);
    assert.equal(s.responseFor(`${ISSUER}/signup/finish`)?.status, 200);

    // The authenticator holds one discoverable credential for this RP and user.
    const creds = await auth.credentials();
    assert.equal(creds.length, 1, 'one credential made');
    const [cred] = creds;
    assert.equal(cred.rpId, RP_ID, 'the RP ID is the issuer host');
    assert.equal(cred.isResidentCredential, true, 'a discoverable credential (passkey)');
    assert.equal(cred.userName, username, 'user.name is the username');
    assert.equal(Buffer.from(cred.userHandle, 'base64').length, 16, 'a 16-byte user handle');
    // Signed in by the sign-up: an HttpOnly session cookie.
    const cookie = await sessionCookie(s);
    assert.ok(cookie, 'the sign-up signs in');
    assert.equal(cookie.httpOnly, true);

    await cont.click();
    await page.waitForURL(`${ISSUER}/account`);
    await page.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor();
    await s.shot(page, 'account');
    assert.match(await page.locator('main').innerText(), new RegExp(`Vous utilisez le compte ${username}\\.`));
    const listed = await listedPasskeys(page);
    assert.equal(listed.length, 1, 'the account lists one passkey');
    assert.ok(listed[0].text.includes(FR['passkey-used-now']), 'the passkey just made is the one this session used');
    assert.match(listed[0].text, /Clé d’accès – Chromium sur Linux/, 'named after the browser and the device, in French');
    assert.match(await page.locator('main').innerText(), new RegExp(TEXT.codesLeft(10).replace(/[.]/g, '\\.')));
    assert.match(await page.locator('main').innerText(), new RegExp(`${email.replace(/[.]/g, '\\.')} · pas encore confirmée`), 'the e-mail address, unconfirmed');
    assert.equal(await page.getByRole('button', { name: FR['passkey-add'], exact: true }).getAttribute('id'), 'add-passkey-button');
    assert.match(await page.locator('section[aria-labelledby="sessions-title"]').innerText(), /ce navigateur/, 'this browser is among the sessions');

    s.assertClean();
  } finally {
    await s.close();
  }
});

test('passkeys: sign-out from the account page ends the session', { timeout: TEST_TIMEOUT }, async () => {
  // The browser the sign-up signed in.
  const { session } = await newAccount('passkey-signout', { keepOpen: true });
  const { s, page, auth } = session;
  try {
    await page.goto(`${ISSUER}/account`);
    await page.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor();
    await page.getByRole('link', { name: L.logoutButton, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: L.logoutTitle }).waitFor();
    await s.shot(page, 'logout-confirm');
    await page.getByRole('button', { name: L.logoutButton, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: L.signedOut }).waitFor();
    await s.shot(page, 'signed-out');
    assert.equal(await sessionCookie(s), undefined, 'the session cookie is gone');

    // The account page now asks to sign in. The authenticator stays in this
    // tab: without presence it does not answer the autofill request.
    await auth.setPresence(false);
    await page.goto(`${ISSUER}/account`);
    const signIn = await waitForSignIn(page);
    assert.ok(signIn.startsWith(`${ISSUER}/login?interaction=`), `the account page redirects to the sign-in page: ${signIn}`);
    await s.shot(page, 'account-needs-sign-in');

    // And a relying party's prompt=none gets login_required.
    const config = await rp('post');
    const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri, extra: { prompt: 'none' } });
    const callback = s.nextRpHit(REDIRECT_URI);
    await page.goto(req.url.href);
    const cb = new URL((await callback).url);
    assert.equal(cb.searchParams.get('error'), 'login_required', `prompt=none after sign-out: ${cb}`);
    assert.equal(cb.searchParams.get('code'), null);
    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

test('passkeys: sign-in at a relying party with the passkey button (autofill pending, then cancelled), consent, ID token amr and acr', { timeout: TEST_TIMEOUT }, async () => {
  const account = await newAccount('passkey-button');
  const s = await openContext(browser, 'passkey-button', { webauthn: true });
  try {
    const page = await s.newPage();
    // No presence yet: the autofill request waits, as when the person has
    // not picked anything in the username field's suggestions.
    const auth = await s.addAuthenticator(page, { automaticPresenceSimulation: false });
    await auth.addCredential(account.credential);
    const config = await rp('basic');
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri, scope: 'openid' });

    await page.goto(req.url.href);
    await waitForSignIn(page);
    await s.nextWebAuthnCall((c) => c.op === 'get' && c.mediation === 'conditional' && c.phase === 'start');
    const button = page.getByRole('button', { name: L.passkeySignIn, exact: true });
    assert.equal(await button.getAttribute('id'), 'passkey-button');
    assert.equal(await button.isVisible(), true, 'the passkey button is shown');
    await s.shot(page, 'sign-in');
    await auth.setPresence(true);
    const mark = s.webauthnCalls.length;
    await button.click();

    await page.getByRole('heading', { level: 1, name: L.consentTitle }).waitFor();
    await s.shot(page, 'consent');
    assert.match(await page.locator('main').innerText(), new RegExp(`votre compte ${account.username}`), 'consent names the account');
    // The click cancelled the autofill request and asked the authenticator.
    assert.deepEqual(calls(s, mark), ['get/conditional/fail/AbortError', 'get/modal/start', 'get/modal/ok']);
    assert.equal(requestsTo(s, '/passkey/options').length, 2, 'options for the autofill request, then for the button');
    assert.equal(requestsTo(s, '/passkey/finish').length, 1);
    assert.equal(s.responseFor(`${ISSUER}/passkey/finish`)?.status, 200);
    assert.equal(requestsTo(s, '/login').length, 0, 'no password form was posted');

    const callback = s.nextRpHit(REDIRECT_URI);
    await approveConsent(page);
    const hit = await callback;
    await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
    await s.shot(page, 'callback');
    const claims = await redeem(config, req, hit.url);
    assert.ok([claims.aud].flat().includes(CLIENTS.basic.id));
    assertPasskeyClaims(claims, 'passkey button');
    assert.equal(claims.sub, account.sub, 'the account that signed up');

    // The authenticator counted the signature.
    const [after] = await auth.credentials();
    assert.ok(after.signCount > account.credential.signCount, `sign count ${account.credential.signCount} -> ${after.signCount}`);
    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

test('passkeys: username typed first — the button asks for that user\'s passkeys; an unknown username gets a stable made-up one', { timeout: TEST_TIMEOUT }, async () => {
  const account = await newAccount('passkey-username-first');
  const s = await openContext(browser, 'passkey-username-first', { webauthn: true });
  try {
    const page = await s.newPage();
    const auth = await s.addAuthenticator(page, { automaticPresenceSimulation: false });
    await auth.addCredential(account.credential);
    const config = await rp('post'); // no consent page
    const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri });
    await page.goto(req.url.href);
    await waitForSignIn(page);
    await s.nextWebAuthnCall((c) => c.op === 'get' && c.mediation === 'conditional' && c.phase === 'start');
    await auth.setPresence(true);
    const button = page.getByRole('button', { name: L.passkeySignIn, exact: true });
    const username = page.getByLabel(L.username, { exact: true });

    // An unknown username: one made-up credential id, the same each time.
    // The made-up ids come with the transports of real passkeys, drawn from
    // the tenant's secret (internal; internal and hybrid; usb and nfc).
    // Given hybrid, usb or nfc, Chromium waits for a phone or a security
    // key, as it would for a person: the page's copy of the answer is
    // narrowed to the internal transport so that the missing credential
    // fails at once; the server's answer is checked as sent.
    const serverAnswers = [];
    await page.route(`${ISSUER}/passkey/options`, async (route) => {
      if (route.request().postDataJSON()?.username !== 'personne-inconnue') return route.continue();
      const res = await route.fetch();
      const options = await res.json();
      serverAnswers.push(structuredClone(options));
      for (const c of options.publicKey.allowCredentials ?? []) c.transports = ['internal'];
      return route.fulfill({ response: res, json: options });
    });
    const madeUp = [];
    for (let i = 0; i < 2; i += 1) {
      await username.fill('personne-inconnue');
      const answer = page.waitForResponse((r) => r.url() === `${ISSUER}/passkey/options` && r.request().postDataJSON().username === 'personne-inconnue');
      const mark = s.webauthnCalls.length;
      await button.click();
      assert.equal((await answer).status(), 200);
      const options = serverAnswers.at(-1);
      assert.equal(serverAnswers.length, i + 1, 'one options request per click');
      const allow = options.publicKey.allowCredentials;
      // Shaped like a real account's: one or two ids of the lengths
      // authenticators make, with transports.
      assert.ok(allow.length === 1 || allow.length === 2, `one or two made-up credentials, got ${allow.length}`);
      for (const c of allow) {
        assert.ok([16, 20, 32, 64].includes(Buffer.from(c.id, 'base64url').length), `a real length: ${c.id}`);
        assert.ok(Array.isArray(c.transports) && c.transports.length > 0, 'transports');
      }
      madeUp.push(allow.map((c) => c.id).join(' '));
      await s.nextWebAuthnCall((c) => c.op === 'get' && c.mediation === null && c.phase === 'fail', { from: mark });
      assert.deepEqual(await passkeyStatus(page), { hidden: false, text: L.passkeyFailed, code: 'error', role: 'alert' });
    }
    assert.equal(madeUp[0], madeUp[1], 'the made-up id does not change between requests');
    assert.deepEqual(serverAnswers[0].publicKey.allowCredentials, serverAnswers[1].publicKey.allowCredentials, 'nor do its transports');
    assert.notEqual(madeUp[0], Buffer.from(account.credential.credentialId, 'base64').toString('base64url'));
    await s.shot(page, 'unknown-username');
    assert.equal(requestsTo(s, '/passkey/finish').length, 0);
    await page.unroute(`${ISSUER}/passkey/options`);

    // The account's username: its passkey is in the allow list.
    await username.fill(account.username);
    const callback = s.nextRpHit(REDIRECT_URI);
    const mark = s.webauthnCalls.length;
    await button.click();
    // The options as the page handed them to the browser (the response body
    // itself may be gone: the sign-in navigates away at once).
    const started = await s.nextWebAuthnCall((c) => c.op === 'get' && c.mediation === null && c.phase === 'start', { from: mark });
    assert.deepEqual(started.allow, [Buffer.from(account.credential.credentialId, 'base64').toString('base64url')], "the allow list is the user's passkey");
    assert.equal(started.userVerification, 'required');
    const hit = await callback;
    await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
    await s.shot(page, 'callback');
    const claims = await redeem(config, req, hit.url);
    assertPasskeyClaims(claims, 'username first');
    assert.equal(claims.sub, account.sub, 'the account that signed up');
    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

test('passkeys: sign-in through the username field autofill (conditional mediation), without a click', { timeout: TEST_TIMEOUT }, async () => {
  const account = await newAccount('passkey-autofill');
  const s = await openContext(browser, 'passkey-autofill', { webauthn: true });
  try {
    const page = await s.newPage();
    // With presence simulated, Chromium's virtual authenticator answers the
    // conditional request at once, as when the person picks the passkey.
    const auth = await s.addAuthenticator(page);
    await auth.addCredential(account.credential);
    const config = await rp('post'); // no consent page
    const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri });
    const callback = s.nextRpHit(REDIRECT_URI);
    await page.goto(req.url.href);
    const hit = await callback;
    await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
    await s.shot(page, 'callback');

    assert.deepEqual(calls(s), ['get/conditional/start', 'get/conditional/ok'], 'only the autofill request, no button');
    const docs = s.requests.filter((r) => r.type === 'document').map((r) => r.url.split('?')[0]);
    assert.ok(docs.includes(`${ISSUER}/login`), `the sign-in page was shown:\n${docs.join('\n')}`);
    assert.ok(docs.includes(`${ISSUER}/login/continue`), 'then the authorization continued');
    assert.equal(requestsTo(s, '/passkey/finish').length, 1);
    const claims = await redeem(config, req, hit.url);
    assertPasskeyClaims(claims, 'autofill');
    assert.equal(claims.sub, account.sub, 'the account that signed up');

    const [after] = await auth.credentials();
    assert.ok(after.signCount > account.credential.signCount, 'the authenticator signed');
    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

test('passkeys: account page — add a second passkey (the first authenticator is excluded), rename it, remove the first; the last one needs a confirmation', { timeout: TEST_TIMEOUT }, async () => {
  const account = await newAccount('passkey-account');
  const s = await openContext(browser, 'passkey-account', { webauthn: true });
  try {
    const page = await s.newPage();
    const internal = await s.addAuthenticator(page);
    await internal.addCredential(account.credential);

    // The account page sends to the sign-in page, whose autofill signs in
    // and comes back.
    await page.goto(`${ISSUER}/account`);
    await page.waitForURL(`${ISSUER}/account`);
    await page.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor();
    assert.ok(s.requests.some((r) => r.url.startsWith(`${ISSUER}/login?interaction=`)), 'signed in through the sign-in page');
    assert.deepEqual(calls(s), ['get/conditional/start', 'get/conditional/ok']);
    await s.shot(page, 'account');
    const before = await listedPasskeys(page);
    assert.equal(before.length, 1);
    assert.ok(before[0].text.includes(FR['passkey-used-now']), `the passkey that signed in is the one said just used: ${before[0].text}`);

    // This authenticator already holds a passkey of the account: excluded.
    const addButton = page.getByRole('button', { name: FR['passkey-add'], exact: true });
    let mark = s.webauthnCalls.length;
    await addButton.click();
    await s.nextWebAuthnCall((c) => c.op === 'create' && c.phase === 'fail', { from: mark });
    assert.deepEqual(calls(s, mark), ['create/modal/start', 'create/modal/fail/InvalidStateError']);
    await page.locator('#passkey-status').waitFor();
    const excluded = await passkeyStatus(page);
    assert.deepEqual(excluded, { hidden: false, text: L.passkeyFailed, code: 'error', role: 'alert' }, 'the page says the passkey could not be made');
    assert.equal(requestsTo(s, '/account/passkeys/finish').length, 0);
    await s.shot(page, 'excluded');

    // A second authenticator (a security key); the first one stays silent.
    await internal.setPresence(false);
    const key = await s.addAuthenticator(page, { transport: 'usb' });
    mark = s.webauthnCalls.length;
    await addButton.click();
    await page.waitForURL(`${ISSUER}/account?notice=passkey-added`);
    assert.equal(await notice(page), TEXT.added);
    assert.deepEqual(calls(s, mark), ['create/modal/start', 'create/modal/ok']);
    assert.equal((await passkeyStatus(page)).hidden, true, 'no error shown');
    const two = await listedPasskeys(page);
    assert.equal(two.length, 2, 'two passkeys listed');
    const [keyCred] = await key.credentials();
    assert.ok(keyCred, 'the security key made a credential');
    assert.equal(keyCred.userHandle, account.userHandle, 'for the same account');
    assert.equal(keyCred.rpId, RP_ID);
    assert.equal(keyCred.isResidentCredential, true);
    await s.shot(page, 'two-passkeys');
    const oldId = before[0].id;
    const newId = two.map((p) => p.id).find((id) => id !== oldId);
    assert.ok(newId, 'the new passkey has its own id');
    assert.match(two.find((p) => p.id === newId).text, /jamais utilisée/);
    assert.ok(!two.find((p) => p.id === newId).text.includes(FR['passkey-used-now']), 'only the passkey that signed in is said just used');
    assert.ok(two.find((p) => p.id === oldId).text.includes(FR['passkey-used-now']), 'the passkey that signed in still is');

    // Rename the new one.
    let item = passkeyItem(page, newId);
    await item.locator('summary').click();
    await item.getByLabel('Nom', { exact: true }).fill('Clé de sécurité');
    await item.getByRole('button', { name: 'Renommer', exact: true }).click();
    await page.waitForURL(`${ISSUER}/account?notice=passkey-renamed`);
    assert.equal(await notice(page), TEXT.renamed);
    assert.deepEqual((await listedPasskeys(page)).map((p) => [p.id, p.name]).sort(), [[newId, 'Clé de sécurité'], [oldId, before[0].name]].sort());

    // Remove the first one: with two, no confirmation is needed.
    item = passkeyItem(page, oldId);
    await item.getByText(`Gérer «\u00a0${before[0].name}\u00a0»`, { exact: true }).click();
    assert.equal(await item.locator('input[type="checkbox"]').count(), 0, 'no confirmation while another passkey remains');
    await item.getByRole('button', { name: `Supprimer la clé d’accès «\u00a0${before[0].name}\u00a0»`, exact: true }).click();
    await page.waitForURL(`${ISSUER}/account?notice=passkey-removed`);
    assert.equal(await notice(page), TEXT.removed);
    const one = await listedPasskeys(page);
    assert.deepEqual(one.map((p) => [p.id, p.name]), [[newId, 'Clé de sécurité']], 'one passkey left, the renamed one');
    await s.shot(page, 'one-passkey');

    // The last way to sign in: the form asks for a ticked box. The browser
    // does not send the form without it...
    item = passkeyItem(page, newId);
    await item.locator('summary').click();
    const confirm = item.getByLabel(TEXT.lastConfirmLabel, { exact: true });
    assert.equal(await confirm.isVisible(), true, 'the confirmation checkbox is shown');
    const removeLast = item.getByRole('button', { name: 'Supprimer la clé d’accès «\u00a0Clé de sécurité\u00a0»', exact: true });
    const removals = requestsTo(s, '/account/passkeys/remove').length;
    await removeLast.click();
    assert.equal(await confirm.evaluate((e) => e.validity.valueMissing), true, 'the unticked box blocks the form');
    await page.waitForTimeout(300);
    assert.equal(requestsTo(s, '/account/passkeys/remove').length, removals, 'nothing sent without the box');
    await s.shot(page, 'last-passkey');
    // ...and the server refuses it too when the browser's check is bypassed.
    await confirm.evaluate((e) => e.removeAttribute('required'));
    await removeLast.click();
    await page.waitForURL(`${ISSUER}/account?notice=passkey-last-confirm`);
    assert.equal(await notice(page), TEXT.lastConfirm);
    assert.equal((await listedPasskeys(page)).length, 1, 'the last passkey is kept');
    await s.shot(page, 'last-passkey-kept');

    s.assertClean();
  } finally {
    await s.close();
  }
});

test('passkeys: a recovery code signs in without the passkey (lowest level); the same code again is refused', { timeout: TEST_TIMEOUT }, async () => {
  const account = await newAccount('passkey-recover');
  assert.equal(account.codes.length, 10);
  const code = account.codes[0];
  const s = await openContext(browser, 'passkey-recover');
  try {
    const page = await s.newPage();
    await page.goto(`${ISSUER}/recover`);
    await page.getByRole('heading', { level: 1, name: 'Récupérer votre compte' }).waitFor();
    await s.shot(page, 'recover');
    await page.getByLabel(L.username, { exact: true }).fill(account.username);
    await page.getByLabel('Code de secours', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Récupérer mon compte', exact: true }).click();
    await page.waitForURL(`${ISSUER}/account?notice=recovered`);
    assert.equal(await notice(page), TEXT.recovered);
    const text = await page.locator('main').innerText();
    assert.match(text, new RegExp(`Vous utilisez le compte ${account.username}\\.`));
    assert.match(text, new RegExp(TEXT.codesLeft(9).replace(/[.]/g, '\\.')), 'one code used');
    await s.shot(page, 'account');
    assert.ok(await sessionCookie(s), 'signed in');

    // That session is at the lowest level: a relying party sees amr otp.
    const config = await rp('post');
    const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri });
    const callback = s.nextRpHit(REDIRECT_URI);
    await page.goto(req.url.href);
    const claims = await redeem(config, req, (await callback).url);
    assert.deepEqual(claims.amr, ['otp'], 'a recovery code counts as one factor');
    assert.equal(claims.acr, 'eidas1');
    assert.equal(claims.sub, account.sub, 'the account that signed up');
    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }

  // The same code in another browser: refused, nobody signed in.
  const again = await openContext(browser, 'passkey-recover-again');
  try {
    const page = await again.newPage();
    await page.goto(`${ISSUER}/recover`);
    await page.getByLabel(L.username, { exact: true }).fill(account.username);
    await page.getByLabel('Code de secours', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Récupérer mon compte', exact: true }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    assert.equal((await error.textContent()).trim(), TEXT.recoveryFailed);
    assert.equal(await error.getAttribute('id'), 'recover-error');
    assert.equal(await page.getByLabel('Code de secours', { exact: true }).getAttribute('aria-describedby'), 'recover-error');
    assert.equal(new URL(page.url()).pathname, '/recover', 'still on the recovery page');
    assert.equal(again.responseFor(`${ISSUER}/recover`)?.status, 401);
    assert.equal(await sessionCookie(again), undefined, 'no session');
    await again.shot(page, 'refused');
    await page.goto(`${ISSUER}/account`);
    await waitForSignIn(page);
    assert.ok(page.url().startsWith(`${ISSUER}/login?interaction=`), 'the account page asks to sign in');
    again.assertClean();
  } finally {
    await again.close();
  }
});

for (const [locale, lang, word] of [
  ['fr-FR', 'fr', /clé d’accès/],
  ['en-US', 'en', /passkey/],
]) {
  test(`passkeys: the passkey buttons' accessible names say "${word.source}" for a ${locale} browser`, { timeout: TEST_TIMEOUT }, async () => {
    const s = await openContext(browser, `passkey-names-${lang}`, { locale });
    try {
      const T = LABELS[lang];
      const other = LABELS[lang === 'fr' ? 'en' : 'fr'];
      const page = await s.newPage();
      const config = await rp('basic');
      await page.goto((await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri })).url.href);
      await waitForSignIn(page, lang);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      const button = page.getByRole('button', { name: T.passkeySignIn, exact: true });
      assert.equal(await button.count(), 1, `a button named "${T.passkeySignIn}"`);
      assert.equal(await button.getAttribute('id'), 'passkey-button');
      assert.match(T.passkeySignIn, word);
      assert.equal(await page.getByRole('button', { name: word }).count(), 1, `exactly one button whose name contains ${word}`);
      assert.equal(await page.getByRole('button', { name: other.passkeySignIn, exact: true }).count(), 0, 'not the other language');
      await s.shot(page, 'sign-in');

      await page.getByRole('link', { name: T.signupLink, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: T.signupTitle }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assert.equal(await page.getByRole('button', { name: T.signupButton, exact: true }).count(), 1);
      assert.match(T.signupButton, word);
      await s.shot(page, 'signup');
      s.assertClean();
    } finally {
      await s.close();
    }
  });
}

test('passkeys: user verification failing on the authenticator → the sign-in page shows the error, no session', { timeout: TEST_TIMEOUT }, async () => {
  const account = await newAccount('passkey-refused-uv');
  const s = await openContext(browser, 'passkey-refused-uv', { webauthn: true });
  try {
    const page = await s.newPage();
    const auth = await s.addAuthenticator(page, { isUserVerified: false, automaticPresenceSimulation: false });
    await auth.addCredential(account.credential);
    const config = await rp('basic');
    await page.goto((await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri })).url.href);
    const signInUrl = await waitForSignIn(page);
    await s.nextWebAuthnCall((c) => c.op === 'get' && c.mediation === 'conditional' && c.phase === 'start');
    assert.equal((await passkeyStatus(page)).hidden, true, 'no error before trying');
    await auth.setPresence(true);
    const mark = s.webauthnCalls.length;
    await page.getByRole('button', { name: L.passkeySignIn, exact: true }).click();
    await s.nextWebAuthnCall((c) => c.op === 'get' && c.mediation === null && c.phase === 'fail', { from: mark });
    assert.deepEqual(calls(s, mark), ['get/conditional/fail/AbortError', 'get/modal/start', 'get/modal/fail/NotAllowedError']);

    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('id'), 'passkey-status');
    assert.deepEqual(await passkeyStatus(page), { hidden: false, text: L.passkeyFailed, code: 'error', role: 'alert' });
    await s.shot(page, 'refused');
    assert.equal(page.url(), signInUrl, 'still on the sign-in page');
    assert.equal(requestsTo(s, '/passkey/finish').length, 0, 'nothing to verify: the browser refused');
    assert.equal(await sessionCookie(s), undefined, 'no session');
    s.assertClean();
  } finally {
    await s.close();
  }
});

test('passkeys: a removed passkey is refused by the server → the sign-in page shows the error, no session', { timeout: TEST_TIMEOUT }, async () => {
  // An account whose only passkey its owner removed (the box ticked), from
  // the sign-up's signed-in browser.
  const account = await newAccount('passkey-refused-removed', { keepOpen: true });
  try {
    const { page } = account.session;
    await page.goto(`${ISSUER}/account`);
    const [only] = await listedPasskeys(page);
    const item = passkeyItem(page, only.id);
    await item.locator('summary').click();
    await item.getByLabel(TEXT.lastConfirmLabel, { exact: true }).check();
    await item.getByRole('button', { name: `Supprimer la clé d’accès «\u00a0${only.name}\u00a0»`, exact: true }).click();
    await page.waitForURL(`${ISSUER}/account?notice=passkey-removed`);
    assert.equal(await notice(page), TEXT.removed);
    assert.deepEqual(await listedPasskeys(page), [], 'no passkey left');
  } finally {
    await account.session.s.close();
  }
  const s = await openContext(browser, 'passkey-refused-removed', { webauthn: true });
  try {
    const page = await s.newPage();
    const auth = await s.addAuthenticator(page, { automaticPresenceSimulation: false });
    await auth.addCredential(account.credential);
    const config = await rp('basic');
    await page.goto((await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri })).url.href);
    const signInUrl = await waitForSignIn(page);
    await s.nextWebAuthnCall((c) => c.op === 'get' && c.mediation === 'conditional' && c.phase === 'start');
    await auth.setPresence(true);
    const finished = page.waitForResponse(`${ISSUER}/passkey/finish`);
    await page.getByRole('button', { name: L.passkeySignIn, exact: true }).click();
    const res = await finished;
    assert.equal(res.status(), 400);
    const body = await res.json();
    assert.equal(body.error, 'unknown_credential', `the server's answer: ${JSON.stringify(body)}`);

    await page.getByRole('alert').waitFor();
    // Said in the page's language (not the server's English description).
    assert.deepEqual(await passkeyStatus(page), { hidden: false, text: TEXT.unknownPasskey, code: 'unknown_credential', role: 'alert' });
    await s.shot(page, 'refused');
    assert.equal(page.url(), signInUrl, 'still on the sign-in page');
    assert.equal(await sessionCookie(s), undefined, 'no session cookie');
    // Chromium logs the 400 of the fetch.
    s.expectConsole(/status of 400/);

    // Not signed in: prompt=none says so.
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri, extra: { prompt: 'none' } });
    const callback = s.nextRpHit(REDIRECT_URI);
    await page.goto(req.url.href);
    assert.equal(new URL((await callback).url).searchParams.get('error'), 'login_required');
    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

for (const [locale, lang] of [
  ['fr-FR', 'fr'],
  ['en-US', 'en'],
]) {
  test(`passkeys: sign-up refused for a taken or invalid username, said in the page's language (${locale})`, { timeout: TEST_TIMEOUT }, async () => {
    const T = LABELS[lang];
    const s = await openContext(browser, `passkey-signup-taken-${lang}`, { locale, webauthn: true });
    try {
      const page = await s.newPage();
      const auth = await s.addAuthenticator(page);
      await page.goto(`${ISSUER}/signup`);
      await page.getByRole('heading', { level: 1, name: T.signupTitle }).waitFor();
      for (const [username, code, message] of [
        // run.sh's user, on this tenant from the start.
        [USER.username, 'username_taken', TEXT.usernameTaken[lang]],
        ['deux mots', 'invalid_username', TEXT.usernameInvalid[lang]],
      ]) {
        await page.getByLabel(T.username, { exact: true }).fill(username);
        // The options are refused (`code`, 400); the script then posts the
        // form as a browser without script would, and the server's page
        // shows the message at the field.
        const answer = page.waitForResponse(`${ISSUER}/signup/options`);
        const form = page.waitForResponse((r) => r.url() === `${ISSUER}/signup` && r.request().method() === 'POST');
        await page.getByRole('button', { name: T.signupButton, exact: true }).click();
        assert.equal((await answer).status(), 400, `${username}: ${code}`);
        assert.equal((await form).status(), 422);
        const error = page.locator('#username-error');
        await error.waitFor();
        assert.equal((await error.textContent()).trim(), message, `${username}: the message`);
        const field = page.getByLabel(T.username, { exact: true });
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        assert.equal(await field.inputValue(), username, 'what was typed stays');
        assert.equal(await passkeyStatus(page).then((st) => st.hidden), true, 'the status line is not used');
        s.expectConsole(/status of 400/);
      }
      await s.shot(page, 'refused');
      assert.deepEqual(calls(s), [], 'no passkey was asked for');
      assert.deepEqual(await auth.credentials(), [], 'nothing on the authenticator');
      assert.equal(await page.locator('section#codes').isHidden(), true, 'no codes shown');
      assert.equal(await sessionCookie(s), undefined, 'no session');
      s.assertClean();
    } finally {
      await s.close();
    }
  });
}

test('passkeys: sign-up from a relying party\'s sign-in page continues the authorization', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'passkey-signup-rp', { webauthn: true });
  try {
    const page = await s.newPage();
    const auth = await s.addAuthenticator(page, { automaticPresenceSimulation: false });
    const config = await rp('basic');
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri });
    await page.goto(req.url.href);
    const signInUrl = await waitForSignIn(page);
    const interaction = new URL(signInUrl).searchParams.get('interaction');
    const link = page.getByRole('link', { name: L.signupLink, exact: true });
    assert.equal(await link.getAttribute('href'), `/signup?interaction=${interaction}`);
    await link.click();
    await page.getByRole('heading', { level: 1, name: L.signupTitle }).waitFor();
    await auth.setPresence(true);
    const username = uniqueName('pk-rp');
    await page.getByLabel(L.username, { exact: true }).fill(username);
    await page.getByRole('button', { name: L.signupButton, exact: true }).click();
    const cont = page.getByRole('link', { name: L.codesContinue, exact: true });
    await cont.waitFor();
    assert.equal(await cont.getAttribute('href'), `${ISSUER}/login/continue?interaction=${interaction}`, 'back to the pending authorization');
    assert.equal(await page.locator('ol#code-list li').count(), 10);
    await s.shot(page, 'recovery-codes');
    await cont.click();
    await page.getByRole('heading', { level: 1, name: L.consentTitle }).waitFor();
    assert.match(await page.locator('main').innerText(), new RegExp(`votre compte ${username}`));
    await s.shot(page, 'consent');
    const callback = s.nextRpHit(REDIRECT_URI);
    await approveConsent(page);
    const claims = await redeem(config, req, (await callback).url);
    assertPasskeyClaims(claims, 'sign-up');
    // A new user: not the one who was there before (run.sh's user, signed
    // in with its password by the protocol suite's browser stand-in).
    const existing = await signIn('post');
    assert.notEqual(claims.sub, existing.claims.sub, 'a new user, not an existing one');
    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

test('passkeys: the button pressed while the autofill request is still being prepared signs in once, without an error', { timeout: TEST_TIMEOUT }, async () => {
  const account = await newAccount('passkey-button-early');
  const s = await openContext(browser, 'passkey-button-early', { webauthn: true });
  try {
    const page = await s.newPage();
    const auth = await s.addAuthenticator(page);
    await auth.addCredential(account.credential);
    // Holds the page's first /passkey/options (the autofill request's) and
    // every /passkey/finish until released: a slow network.
    let releaseOptions;
    const optionsHeld = new Promise((r) => (releaseOptions = r));
    let releaseFinish;
    const finishHeld = new Promise((r) => (releaseFinish = r));
    let firstOptions;
    let optionsSeen;
    const firstOptionsHeld = new Promise((r) => (optionsSeen = r));
    await page.route(`${ISSUER}/passkey/options`, async (route) => {
      if (!firstOptions) {
        firstOptions = route.request();
        optionsSeen();
        await optionsHeld;
      }
      await route.continue();
    });
    await page.route(`${ISSUER}/passkey/finish`, async (route) => {
      await finishHeld;
      await route.continue();
    });

    const config = await rp('post'); // no consent page
    const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri });
    await page.goto(req.url.href);
    await waitForSignIn(page);
    await firstOptionsHeld;
    assert.equal(firstOptions.postDataJSON().username, undefined, 'the autofill request asks for options without a username');
    const finishSent = page.waitForRequest(`${ISSUER}/passkey/finish`);
    await page.getByRole('button', { name: L.passkeySignIn, exact: true }).click();
    await finishSent;
    assert.deepEqual(calls(s), ['get/modal/start', 'get/modal/ok'], 'the button signed in');

    // The autofill request's options arrive late: it was cancelled by the
    // click and must not start a second ceremony.
    const late = page.waitForResponse((r) => r.request() === firstOptions);
    releaseOptions();
    await late;
    await page.waitForTimeout(500);
    assert.deepEqual(calls(s), ['get/modal/start', 'get/modal/ok'], 'no autofill request after the click');
    assert.equal((await passkeyStatus(page)).hidden, true, 'no error shown');

    const callback = s.nextRpHit(REDIRECT_URI);
    releaseFinish();
    const hit = await callback;
    await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
    await s.shot(page, 'callback');
    assert.equal(requestsTo(s, '/passkey/finish').length, 1, 'one ceremony finished');
    const claims = await redeem(config, req, hit.url);
    assertPasskeyClaims(claims, 'early button');
    assert.equal(claims.sub, account.sub, 'the account that signed up');
    s.assertClean([REDIRECT_URI]);
  } finally {
    await s.close();
  }
});

// The default name of a new passkey: the browser and the device, in the
// page's language, from the client hints when the browser gives them
// (here an Android phone's Chrome, whatever the User-Agent string says),
// else from the User-Agent string (here Firefox on Windows, no hints).
const ANDROID_CHROME_HINTS = {
  brands: [{ brand: 'Not A(Brand', version: '8' }, { brand: 'Chromium', version: '132' }, { brand: 'Google Chrome', version: '132' }],
  mobile: true,
  platform: 'Android',
};
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
for (const { from, hints, userAgent, locale, lang, expected } of [
  { from: 'client hints', hints: ANDROID_CHROME_HINTS, userAgent: undefined, locale: 'fr-FR', lang: 'fr', expected: 'Clé d’accès – Chrome sur Android' },
  { from: 'the User-Agent string', hints: null, userAgent: FIREFOX_ON_WINDOWS, locale: 'de-DE', lang: 'de', expected: 'Passkey – Firefox auf Windows' },
]) {
  test(`passkeys: a passkey added on the account page is named after the browser and the device from ${from}, in the page's language (${lang})`, { timeout: TEST_TIMEOUT }, async () => {
    const account = await newAccount(`passkey-default-name-${lang}`);
    const s = await openContext(browser, `passkey-default-name-${lang}`, { webauthn: true, locale, ...(userAgent ? { userAgent } : {}) });
    try {
      await s.context.addInitScript((h) => {
        Object.defineProperty(Navigator.prototype, 'userAgentData', { configurable: true, get: () => h ?? undefined });
      }, hints);
      const page = await s.newPage();
      const internal = await s.addAuthenticator(page);
      await internal.addCredential(account.credential);
      await page.goto(`${ISSUER}/account`);
      await page.waitForURL(`${ISSUER}/account`);
      await page.locator('#passkeys-title').waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      // The first authenticator holds the account's passkey already: a
      // second one makes the new passkey.
      await internal.setPresence(false);
      await s.addAuthenticator(page, { transport: 'usb' });
      await page.getByRole('button', { name: messages(lang)['passkey-add'], exact: true }).click();
      await page.waitForURL(`${ISSUER}/account?notice=passkey-added`);
      const listed = await listedPasskeys(page);
      assert.equal(listed.length, 2);
      const added = listed.filter((p) => p.name === expected);
      assert.equal(added.length, 1, `one passkey named "${expected}": ${JSON.stringify(listed.map((p) => p.name))}`);
      await s.shot(page, 'named');
      s.assertClean();
    } finally {
      await s.close();
    }
  });
}

// Only what the person did may end in an error message: the autofill
// (conditional) request starts by itself when the page loads, so its
// failure says nothing; the button failing the same way says why.
test('passkeys: the background autofill request failing shows nothing; the button failing the same way says why', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'passkey-background-failure', { webauthn: true });
  try {
    const page = await s.newPage();
    await s.addAuthenticator(page, { automaticPresenceSimulation: false });
    // Every options request is answered as for an expired sign-in.
    await page.route(`${ISSUER}/passkey/options`, (route) =>
      route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'interaction_expired', error_description: 'expired' }) }),
    );
    const config = await rp('basic');
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri });
    const background = page.waitForResponse(`${ISSUER}/passkey/options`);
    await page.goto(req.url.href);
    await waitForSignIn(page);
    await background;
    await page.waitForTimeout(300);
    assert.equal((await passkeyStatus(page)).hidden, true, 'nothing said about the background request');
    await s.shot(page, 'background-failed');

    await page.getByRole('button', { name: L.passkeySignIn, exact: true }).click();
    await page.locator('#passkey-status').waitFor();
    assert.deepEqual(await passkeyStatus(page), { hidden: false, text: FR['error-interaction-expired'], code: 'interaction_expired', role: 'alert' });
    await s.shot(page, 'button-failed');
    // The refused requests, as Chromium notes them.
    s.console = s.console.filter((c) => !/status of 400/.test(c.text));
    s.assertClean();
  } finally {
    await s.close();
  }
});

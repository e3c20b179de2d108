// Browser suite: a sign-in below the level a service asks for, finished
// from the level page. A password account with a verified address signs in
// at a service asking for eidas2, adds a passkey from the level page
// (Chromium's virtual authenticator), confirms it with the link mailed to
// it (read from the server's outbox, TRAME_E2E_OUTBOX), and the sign-in
// goes on to the service with the new passkey at eidas2. In every shipped
// language, each page under axe-core.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ISSUER, REDIRECT_URI, CLIENTS, rp, newRequest, client } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, messages, LABELS, LANGUAGES, TEST_TIMEOUT, trameCli } from './lib/harness.mjs';

const OUTBOX = process.env.TRAME_E2E_OUTBOX;
const LOCALES = { fr: 'fr-FR', en: 'en-GB', de: 'de-DE', es: 'es-ES', it: 'it-IT', pt: 'pt-PT', ar: 'ar' };

let browser;
const account = { username: `level-${randomBytes(4).toString('hex')}`, password: `pw-${randomBytes(12).toString('hex')}` };
account.email = `${account.username}@example.com`;

/**
 * The text of a mail (an .eml file of the outbox) when it was sent to `to`:
 * its body decoded from base64 (lettre's choice for text mostly outside
 * ASCII, e.g. Arabic) or quoted-printable; `null` for another recipient.
 */
function mailBody(eml, to) {
  const [head, ...rest] = eml.split(/\r?\n\r?\n/);
  if (!new RegExp(`^To: .*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(head)) return null;
  const body = rest.join('\n\n');
  if (/^Content-Transfer-Encoding: base64/mi.test(head)) return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  return body.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}

/** The links to `pathname` in the mails sent to `to` (the outbox names files at random: no order). */
function mailedLinks(to, pathname) {
  assert.ok(OUTBOX, 'TRAME_E2E_OUTBOX names the outbox (conformance/run.sh)');
  const links = [];
  for (const f of readdirSync(OUTBOX).sort()) {
    const text = mailBody(readFileSync(path.join(OUTBOX, f), 'utf8'), to);
    if (text === null) continue;
    for (const line of text.split(/\r?\n/)) {
      const i = line.indexOf(`${ISSUER}${pathname}`);
      if (i >= 0) links.push(line.slice(i).trim());
    }
  }
  return [...new Set(links)];
}

/** Waits for a link to `pathname` that `seen` did not have. */
async function newLink(to, pathname, seen) {
  for (let i = 0; i < 100; i += 1) {
    const fresh = mailedLinks(to, pathname).filter((l) => !seen.includes(l));
    if (fresh.length) return fresh.at(-1);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail with ${pathname} for ${to}`);
}

before(async () => {
  browser = await launch();
  // A password account; its address verified the way a person does it.
  await trameCli(['user', 'add', '--tenant', 'default', '--username', account.username, '--email', account.email, '--password-stdin'], `${account.password}\n`);
  const s = await openContext(browser, 'level-setup');
  try {
    const page = await s.newPage();
    await page.goto(`${ISSUER}/account`);
    await waitForSignIn(page);
    await signInWith(page, account);
    await page.waitForURL(`${ISSUER}/account`);
    const seen = mailedLinks(account.email, '/verify-email?token=');
    await page.locator('form[action$="/account/email"] button').click();
    await page.waitForURL(/notice=/);
    await page.goto(await newLink(account.email, '/verify-email?token=', seen));
    await page.getByRole('button', { name: messages('fr')['mail-link-confirm-button'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: messages('fr')['email-verified-title'], exact: true }).waitFor();
  } finally {
    await s.close();
  }
});
after(async () => {
  await browser?.close();
});

for (const lang of LANGUAGES) {
  test(`level (${lang}): a passkey added from the level page, confirmed by mail, leads on to the service`, { timeout: 2 * TEST_TIMEOUT }, async () => {
    const M = messages(lang);
    const s = await openContext(browser, `level-${lang}`, { locale: LOCALES[lang], webauthn: true });
    try {
      const config = await rp('post');
      const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri, extra: { acr_values: 'eidas2' } });
      const page = await s.newPage();
      // Presence only when the test gives it: the sign-in page's autofill
      // request would otherwise answer by itself before the page is seen.
      const authenticator = await s.addAuthenticator(page, { automaticPresenceSimulation: false });
      await page.goto(req.url.href);
      await waitForSignIn(page, lang);
      await signInWith(page, { ...account, lang });
      await page.getByRole('heading', { level: 1, name: M['level-needed-title'], exact: true }).waitFor();
      await page.getByRole('heading', { level: 2, name: M['level-add-title'], exact: true }).waitFor();
      await s.shot(page, 'level-add');

      await page.getByRole('button', { name: M['level-add-passkey'], exact: true }).click();
      await page.getByRole('heading', { level: 1, name: M['enrol-title'], exact: true }).waitFor();
      await s.shot(page, 'enrol');
      const seen = mailedLinks(account.email, '/account/upgrade?token=');
      await authenticator.setPresence(true);
      await page.getByRole('button', { name: M['passkey-add'], exact: true }).click();
      await page.getByRole('heading', { level: 1, name: M['level-mail-sent-title'], exact: true }).waitFor();
      assert.equal((await authenticator.credentials()).length, 1, 'the passkey was made');
      await authenticator.setPresence(false);
      await s.shot(page, 'mail-sent');

      // The mailed link, in this browser: confirmed, back to the sign-in.
      const mark = s.webauthnCalls.length;
      await page.goto(await newLink(account.email, '/account/upgrade?token=', seen));
      await page.getByRole('button', { name: M['mail-link-confirm-button'], exact: true }).click();
      await page.waitForURL(/\/login\?interaction=.*notice=credential-confirmed/);
      await page.getByText(M['credential-confirmed'], { exact: true }).waitFor();
      await s.nextWebAuthnCall((c) => c.op === 'get' && c.mediation === 'conditional' && c.phase === 'start', { from: mark });
      await s.shot(page, 'confirmed');

      const callback = s.nextRpHit(REDIRECT_URI);
      await authenticator.setPresence(true);
      await page.getByRole('button', { name: M['passkey-sign-in-button'], exact: true }).click();
      const cb = new URL((await callback).url);
      assert.equal(cb.searchParams.get('state'), req.state);
      const tokens = await client.authorizationCodeGrant(config, cb, { pkceCodeVerifier: req.codeVerifier, expectedState: req.state, expectedNonce: req.nonce, idTokenExpected: true });
      assert.equal(tokens.claims().acr, 'eidas2', 'the new passkey reaches the level');
      s.assertClean([REDIRECT_URI]);
    } finally {
      await s.close();
    }
  });
}

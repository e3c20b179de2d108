// Browser suite: no page of a sign-in is a dead end. A sign-in below the
// level the service asks for says what would reach it and can go back to
// the service (unmet_authentication_requirements); the logout confirmation
// can be cancelled; a recovery started from the sign-in page continues to
// the service; sign-up errors are shown at their field, the first one
// focused. Each page state in French, English and Arabic or German, under
// axe-core.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ISSUER, USER, CLIENTS, REDIRECT_URI, rp, newRequest } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, messages, LABELS, TEST_TIMEOUT } from './lib/harness.mjs';

const LOCALES = { fr: 'fr-FR', en: 'en-GB', de: 'de-DE', ar: 'ar' };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The first-level heading's text, once shown. */
async function heading(page, name) {
  const h1 = page.getByRole('heading', { level: 1, name, exact: true });
  await h1.waitFor();
  return (await h1.textContent()).trim();
}

for (const lang of ['fr', 'en', 'ar']) {
  test(`dead ends (${lang}): a sign-in below the level asked for says what would reach it, then goes back to the service`, { timeout: TEST_TIMEOUT }, async () => {
    const M = messages(lang);
    const s = await openContext(browser, `dead-ends-level-${lang}`, { locale: LOCALES[lang] });
    try {
      const config = await rp('post');
      const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri, extra: { acr_values: 'eidas2' } });
      const page = await s.newPage();
      await page.goto(req.url.href);
      await waitForSignIn(page, lang);
      await signInWith(page, { ...USER, lang });
      await heading(page, M['level-needed-title']);
      const ways = (await page.locator('main ul li').allTextContents()).map((w) => w.trim());
      assert.deepEqual(ways, [M['level-way-passkey'], M['level-way-password-totp']], 'the ways that reach eidas2 under the default policy');
      const retry = page.getByRole('link', { name: M['level-retry'], exact: true });
      assert.match(await retry.getAttribute('href'), /\/login\?interaction=/);
      await s.shot(page, 'level-needed');

      const callback = s.nextRpHit(REDIRECT_URI);
      await page.locator('form[action$="/login/abandon"] button').click();
      const cb = new URL((await callback).url);
      assert.equal(cb.searchParams.get('error'), 'unmet_authentication_requirements');
      assert.equal(cb.searchParams.get('state'), req.state);
      assert.equal(cb.searchParams.get('iss'), ISSUER);
      assert.equal(cb.searchParams.get('code'), null);
      s.assertClean([REDIRECT_URI]);
    } finally {
      await s.close();
    }
  });
}

for (const lang of ['fr', 'de']) {
  test(`dead ends (${lang}): the logout confirmation can be cancelled, the signed-out page is shown`, { timeout: TEST_TIMEOUT }, async () => {
    const M = messages(lang);
    const s = await openContext(browser, `dead-ends-logout-${lang}`, { locale: LOCALES[lang] });
    try {
      const config = await rp('post');
      const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri });
      const page = await s.newPage();
      const callback = s.nextRpHit(REDIRECT_URI);
      await page.goto(req.url.href);
      await waitForSignIn(page, lang);
      await signInWith(page, { ...USER, lang });
      await callback;

      // No client named: cancelling leads to the account page.
      await page.goto(`${ISSUER}/logout`);
      await heading(page, LABELS[lang].logoutTitle);
      const cancel = page.getByRole('link', { name: M['logout-cancel'], exact: true });
      assert.equal(await cancel.getAttribute('href'), `${ISSUER}/account`);
      await s.shot(page, 'logout-confirm');
      await cancel.click();
      await page.waitForURL(`${ISSUER}/account`);
      await heading(page, M['account-title']);

      // Still signed in: the confirmation again, then signed out.
      await page.goto(`${ISSUER}/logout`);
      await page.getByRole('button', { name: LABELS[lang].logoutButton, exact: true }).click();
      await heading(page, LABELS[lang].signedOut);
      await s.shot(page, 'signed-out');
      s.assertClean([REDIRECT_URI]);
    } finally {
      await s.close();
    }
  });
}

/** A new passkey account, signed up in a context of its own; its username and recovery codes. */
async function newAccount(name) {
  const s = await openContext(browser, name, { webauthn: true });
  try {
    const page = await s.newPage();
    await s.addAuthenticator(page);
    const username = `${name}-${randomBytes(4).toString('hex')}`;
    await page.goto(`${ISSUER}/signup`);
    await page.getByLabel(LABELS.fr.username, { exact: true }).fill(username);
    await page.getByRole('button', { name: LABELS.fr.signupButton, exact: true }).click();
    const list = page.locator('#code-list');
    await list.locator('li').first().waitFor();
    const codes = (await list.locator('li').allTextContents()).map((c) => c.trim());
    return { username, codes };
  } finally {
    await s.close();
  }
}

test('dead ends: a recovery started from the sign-in page continues to the service (fr, en)', { timeout: 2 * TEST_TIMEOUT }, async () => {
  const account = await newAccount('dead-ends-recover');
  for (const [i, lang] of ['fr', 'en'].entries()) {
    const M = messages(lang);
    const s = await openContext(browser, `dead-ends-recover-${lang}`, { locale: LOCALES[lang] });
    try {
      const config = await rp('post');
      const req = await newRequest(config, { redirectUri: CLIENTS.post.redirectUri });
      const page = await s.newPage();
      await page.goto(req.url.href);
      await waitForSignIn(page, lang);
      await page.getByRole('link', { name: M['recover-link'], exact: true }).click();
      await heading(page, M['recover-title']);
      assert.match(page.url(), /\/recover\?interaction=/, 'the pending sign-in goes along');
      await s.shot(page, 'recover-pending');
      await page.getByLabel(LABELS[lang].username, { exact: true }).fill(account.username);
      await page.getByLabel(M['recover-code-label'], { exact: true }).fill(account.codes[i]);
      const callback = s.nextRpHit(REDIRECT_URI);
      await page.getByRole('button', { name: M['recover-button'], exact: true }).click();
      const cb = new URL((await callback).url);
      assert.ok(cb.searchParams.get('code'), `the service gets a code: ${cb}`);
      assert.equal(cb.searchParams.get('state'), req.state);
      s.assertClean([REDIRECT_URI]);
    } finally {
      await s.close();
    }
  }
});

for (const lang of ['fr', 'en', 'ar']) {
  test(`dead ends (${lang}): sign-up errors are shown at their field, the first one focused`, { timeout: TEST_TIMEOUT }, async () => {
    const M = messages(lang);
    const s = await openContext(browser, `dead-ends-signup-${lang}`, { locale: LOCALES[lang] });
    try {
      const page = await s.newPage();
      await page.goto(`${ISSUER}/signup`);
      await heading(page, LABELS[lang].signupTitle);
      await page.getByLabel(LABELS[lang].username, { exact: true }).fill('a b');
      await page.getByLabel(LABELS[lang].email, { exact: true }).fill('not-an-address');
      // With the page's script: it asks for the passkey's options, the
      // server refuses the fields, and the script hands the form to the
      // server as a browser without script would post it, whose answer
      // shows each error at its field.
      const refused = page.waitForResponse((r) => r.url() === `${ISSUER}/signup/options`);
      const answer = page.waitForResponse((r) => r.url() === `${ISSUER}/signup` && r.request().method() === 'POST');
      await page.getByRole('button', { name: LABELS[lang].signupButton, exact: true }).click();
      assert.equal((await refused).status(), 400);
      assert.equal((await answer).status(), 422);
      await page.locator('#username-error').waitFor();

      const username = page.getByLabel(LABELS[lang].username, { exact: true });
      assert.equal(await username.getAttribute('aria-invalid'), 'true');
      assert.equal(await username.getAttribute('aria-describedby'), 'username-error username-help');
      assert.equal(await username.inputValue(), 'a b', 'what was typed stays');
      assert.equal((await page.locator('#username-error').textContent()).trim(), M['signup-username-invalid']);
      const email = page.getByLabel(LABELS[lang].email, { exact: true });
      assert.equal(await email.getAttribute('aria-invalid'), 'true');
      assert.equal(await email.getAttribute('aria-describedby'), 'email-error email-help');
      assert.equal((await page.locator('#email-error').textContent()).trim(), M['email-invalid']);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'username', 'the first field in error has the focus');
      await s.shot(page, 'signup-errors');
      s.expectConsole(/status of 400/);
      s.assertClean([]);
    } finally {
      await s.close();
    }
  });
}

// Browser suite: the person's rights on the account page, in French and in
// English, each state checked by axe-core (WCAG 2.1 AA): their names
// changed, their services and recent activity listed, their data
// downloaded; and an account of its own, signed up with a passkey for the
// purpose, deleted by its owner (the seeded account stays for the other
// suites).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, USER } from '../tests/lib/setup.mjs';
import { randomBytes } from 'node:crypto';
import { launch, openContext, signInWith, waitForSignIn, LABELS, TEST_TIMEOUT } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const TEXT = {
  fr: { heading: 'Votre compte', identity: 'Votre identité', given: 'Prénom', save: 'Enregistrer', saved: 'Votre identité est enregistrée.', services: 'Services connectés', activity: 'Activité récente', signIn: 'Connexion', data: 'Télécharger mes données', deleteButton: 'Supprimer mon compte' },
  en: { heading: 'Your account', identity: 'Your identity', given: 'Given name', save: 'Save', saved: 'Your identity is saved.', services: 'Connected services', activity: 'Recent activity', signIn: 'Sign-in', data: 'Download my data', deleteButton: 'Delete my account' },
};

for (const [lang, locale] of [['fr', 'fr-FR'], ['en', 'en-GB']]) {
  test(`account page (${lang}): names, services, activity and data download`, { timeout: TEST_TIMEOUT }, async () => {
    const L = TEXT[lang];
    const s = await openContext(browser, `account-rights-${lang}`, { locale });
    try {
      const page = await s.newPage();
      await page.goto(`${ISSUER}/account`);
      await waitForSignIn(page, lang);
      await signInWith(page, { ...USER, lang });
      await page.waitForURL(`${ISSUER}/account`);
      await page.getByRole('heading', { level: 1, name: L.heading }).waitFor();
      await s.shot(page, 'account');
      for (const h of [L.identity, L.services, L.activity]) {
        await page.getByRole('heading', { level: 2, name: h }).waitFor();
      }
      assert.match(await page.locator('section[aria-labelledby="activity-title"]').innerText(), new RegExp(L.signIn), 'the sign-in is in the recent activity');
      assert.ok(await page.getByRole('button', { name: L.deleteButton, exact: true }).isVisible());

      const given = page.getByLabel(L.given, { exact: true });
      assert.equal(await given.inputValue(), USER.givenName);
      await given.fill(USER.givenName);
      await page.getByRole('button', { name: L.save, exact: true }).click();
      await page.getByText(L.saved).waitFor();
      await s.shot(page, 'saved');

      const link = page.getByRole('link', { name: L.data, exact: true });
      const download = await s.context.request.get(new URL(await link.getAttribute('href'), ISSUER).href);
      assert.equal(download.status(), 200);
      assert.match(download.headers()['content-disposition'] ?? '', /^attachment/);
      const data = await download.json();
      assert.equal(data.account.username, USER.username);
      s.assertClean();
      assert.ok(s.checked >= 2, 'axe-core ran on the page states');
    } finally {
      await s.close();
    }
  });
}

test('account page: a citizen deletes their own account, and it is gone', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'account-delete', { webauthn: true });
  try {
    const page = await s.newPage();
    await s.addAuthenticator(page);
    const L = LABELS.fr;
    const username = `leaving-${randomBytes(4).toString('hex')}`;
    await page.goto(`${ISSUER}/signup`);
    await page.getByLabel(L.username, { exact: true }).fill(username);
    await page.getByLabel(L.email, { exact: true }).fill(`${username}@example.com`);
    await page.getByRole('button', { name: L.signupButton, exact: true }).click();
    await page.locator('ol#code-list li').nth(9).waitFor();
    await page.goto(`${ISSUER}/account`);
    const button = page.getByRole('button', { name: 'Supprimer mon compte', exact: true });
    await button.waitFor();
    // The box says what deletion means; without it, nothing happens.
    await page.getByLabel('Je comprends que la suppression de mon compte est définitive.', { exact: true }).check();
    await button.click();
    await page.getByRole('heading', { level: 1, name: 'Compte supprimé' }).waitFor();
    await s.shot(page, 'deleted');
    const cookies = await s.context.cookies(ISSUER);
    assert.ok(!cookies.some((c) => c.name.startsWith('trame_session') && c.value !== ''), 'signed out');
    const check = await s.context.request.get(`${ISSUER}/account`, { maxRedirects: 0 });
    assert.equal(check.status(), 303, 'no session any more');
    s.assertClean();
  } finally {
    await s.close();
  }
});

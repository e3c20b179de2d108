// Browser suite: the person's rights on the account page, in French and in
// English, each state checked by axe-core (WCAG 2.1 AA): their names
// changed, their services and recent activity listed, their data
// downloaded. (Deletion is tested against the server in idp/web; here the
// seeded account must stay for the other suites.)
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, USER } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, TEST_TIMEOUT } from './lib/harness.mjs';

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

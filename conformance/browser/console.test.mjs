// Browser suite: the administration console at <issuer>/admin, as a
// collectivité's administrator uses it. An account signs up with a passkey
// (Chromium's virtual authenticator), the operator grants it a role with
// the CLI, and it signs in to /admin: finds a citizen by name (accents and
// case ignored), disables then deletes the account (typing its username),
// reads both steps in the audit log, registers a service (secret shown
// once), and visits the keys, settings and tenants pages; changes the
// tenant's branding (a refused colour said at its field and focused, then a
// logo and a colour saved, then cleared again). Every page state is checked
// by axe-core (WCAG 2.1 AA), then every page again in each other shipped
// language (Arabic right to left), then the console's pages on a phone in
// every language: every link and button at least 44 × 44 px.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ISSUER } from '../tests/lib/setup.mjs';
import { launch, openContext, trameCli, LABELS, LANGUAGES, messages, TEST_TIMEOUT, MOBILE_CONTEXT, MIN_TARGET, smallTargets, overflow } from './lib/harness.mjs';


let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const trame = trameCli;

// The console's pages and their headings, as the translation files say
// them, in every shipped language.
const PAGES = ['users', 'clients', 'keys', 'audit', 'settings', 'tenants', 'branding'];
const TEXT = Object.fromEntries(
  LANGUAGES.map((lang) => {
    const m = messages(lang);
    const heading = (id) => {
      if (!(id in m)) throw new Error(`${lang}: no single-line message ${id}`);
      return m[id];
    };
    return [lang, { ...Object.fromEntries(PAGES.map((p) => [p, heading(`console-${p}-title`)])), clientNew: heading('console-client-new') }];
  }),
);

test('console: an administrator signs in with a passkey, finds a citizen, disables and deletes the account, and reads it in the audit log', { timeout: 10 * TEST_TIMEOUT }, async () => {
  const suffix = randomBytes(4).toString('hex');
  const adminName = `agent-${suffix}`;
  const citizen = `citoyen-${suffix}`;
  const family = `Lefèvre-${suffix}`;
  await trame(['user', 'add', '--tenant', 'default', '--username', citizen, '--given-name', 'Zoé', '--family-name', family, '--password-stdin'], `pw-${suffix}-long-enough\n`);

  const s = await openContext(browser, 'console', { webauthn: true });
  try {
    const page = await s.newPage();
    await s.addAuthenticator(page);
    // Sign-up with a passkey: a session at eidas2, the console's level.
    const L = LABELS.fr;
    await page.goto(`${ISSUER}/signup`);
    await page.getByLabel(L.username, { exact: true }).fill(adminName);
    await page.getByLabel(L.email, { exact: true }).fill(`${adminName}@example.com`);
    await page.getByRole('button', { name: L.signupButton, exact: true }).click();
    await page.locator('ol#code-list li').nth(9).waitFor();

    // Without a role, the console says so.
    const refused = await page.goto(`${ISSUER}/admin/users`);
    assert.equal(refused.status(), 403);
    await s.shot(page, 'no-role');
    await trame(['admin', 'grant', adminName, '--role', 'operator']);

    await page.goto(`${ISSUER}/admin`);
    await page.waitForURL(`${ISSUER}/admin/users`);
    await page.getByRole('heading', { level: 1, name: TEXT.fr.users }).waitFor();
    await s.shot(page, 'users');

    // Found by the start of the family name, without its accent.
    await page.getByLabel('Rechercher un compte', { exact: true }).fill(`lefevre-${suffix}`);
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    const link = page.getByRole('link', { name: citizen, exact: true });
    await link.waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1, 'only the matching account');
    await s.shot(page, 'search');
    await link.click();
    await page.getByRole('heading', { level: 1, name: citizen }).waitFor();
    await s.shot(page, 'user');

    await page.getByRole('button', { name: 'Désactiver le compte', exact: true }).click();
    await page.getByText('Le compte est désactivé.').waitFor();
    assert.match(await page.locator('#user-status').innerText(), /Désactivé depuis/);
    await s.shot(page, 'disabled');

    // A wrong confirmation deletes nothing; the username does.
    await page.locator('form[action$="/delete"]').getByLabel(`Pour confirmer, saisissez « ${citizen} »`, { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Supprimer définitivement', exact: true }).click();
    await page.getByText('Le nom saisi ne correspond pas : rien n’a été changé.').waitFor();
    await page.locator('form[action$="/delete"]').getByLabel(`Pour confirmer, saisissez « ${citizen} »`, { exact: true }).fill(citizen);
    await page.getByRole('button', { name: 'Supprimer définitivement', exact: true }).click();
    await page.getByText('Le compte est supprimé.').waitFor();
    await s.shot(page, 'deleted');

    // Both steps in the audit log, by the administrator.
    await page.getByRole('link', { name: TEXT.fr.audit, exact: true }).click();
    await page.getByLabel('Auteur', { exact: true }).waitFor();
    for (const action of ['user.disabled', 'user.removed']) {
      await page.getByLabel('Action', { exact: true }).fill(action);
      await page.getByRole('button', { name: 'Filtrer', exact: true }).click();
      const row = page.locator('tbody tr', { hasText: action }).first();
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, new RegExp(adminName), `${action} by the administrator`);
      assert.match(text, /127\.0\.0\.1|::1/, `${action} from the administrator's address`);
    }
    await s.shot(page, 'audit');

    // A service registered: its secret is shown once.
    await page.goto(`${ISSUER}/admin/clients/new`);
    await page.getByLabel('Identifiant du service (client_id)', { exact: true }).fill(`portail-${suffix}`);
    await page.getByLabel('Nom affiché aux usagers', { exact: true }).fill('Portail famille');
    await page.getByLabel('Adresses de retour (redirect_uris)', { exact: true }).fill('http://localhost:9/portail');
    await s.shot(page, 'client-form');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    const secret = page.getByLabel('Secret du service (client_secret)', { exact: true });
    await secret.waitFor();
    assert.ok((await secret.inputValue()).length >= 32, 'a generated secret');
    await s.shot(page, 'client-secret');

    // The branding: a colour too pale for white text is refused at its
    // field, which gets the focus; a logo and a colour are saved.
    await page.goto(`${ISSUER}/admin/branding`);
    await page.getByRole('heading', { level: 1, name: TEXT.fr.branding }).waitFor();
    await s.shot(page, 'branding');
    await page.getByLabel('Couleur principale', { exact: true }).fill('#ffff00');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    const color = page.getByLabel('Couleur principale', { exact: true });
    await page.locator('#primary-color-error').waitFor();
    assert.equal(await color.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'primary-color', 'the field in error has the focus');
    assert.match(await page.locator('#primary-color-error').innerText(), /1,07:1/);
    await s.shot(page, 'branding-refused');
    await color.fill('#1e3a8a');
    await page.getByLabel('Mentions légales', { exact: true }).fill('https://ville.example/mentions-legales');
    const logo = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><script>alert(1)</script><rect width="40" height="20" fill="#1e3a8a"/></svg>';
    await page.getByLabel('Nouveau logo (SVG ou PNG)', { exact: true }).setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(logo) });
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('L’apparence est enregistrée.').waitFor();
    await page.locator('.logo-preview img').waitFor();
    await s.shot(page, 'branding-saved');

    for (const [path, heading] of [['keys', TEXT.fr.keys], ['settings', TEXT.fr.settings], ['tenants', TEXT.fr.tenants], ['clients', TEXT.fr.clients]]) {
      await page.goto(`${ISSUER}/admin/${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await s.shot(page, path);
    }

    // The same pages in every other shipped language, from the same
    // session: each heading as its translation file says it, the page's
    // language and direction declared, axe-core clean.
    for (const lang of LANGUAGES.filter((l) => l !== 'fr')) {
      const other = await openContext(browser, `console-${lang}`, { locale: lang, storageState: await s.context.storageState() });
      try {
        const p = await other.newPage();
        for (const path of PAGES) {
          await p.goto(`${ISSUER}/admin/${path}`);
          await p.getByRole('heading', { level: 1, name: TEXT[lang][path], exact: true }).waitFor();
          await other.shot(p, path);
        }
        assert.equal(await p.getAttribute('html', 'lang'), lang);
        assert.equal(await p.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr');
        await p.goto(`${ISSUER}/admin/clients/new`);
        await p.getByRole('heading', { level: 1, name: TEXT[lang].clientNew, exact: true }).waitFor();
        await other.shot(p, 'client-form');
        await p.goto(`${ISSUER}/admin/users`);
        await p.getByRole('link', { name: adminName, exact: true }).click();
        await p.getByRole('heading', { level: 1, name: adminName }).waitFor();
        await other.shot(p, 'user');
        other.assertClean();
        assert.ok(other.checked >= 9, `axe-core ran on the ${lang} pages`);
      } finally {
        await other.close();
      }
    }

    // On a phone, in every shipped language: every link, button and
    // disclosure of the console's pages is a touch target of at least
    // 44 × 44 px, and the pages fit.
    for (const lang of LANGUAGES) {
      const phone = await openContext(browser, `console-mobile-${lang}`, { ...MOBILE_CONTEXT, locale: lang, storageState: await s.context.storageState() });
      try {
        const p = await phone.newPage();
        const check = async (what) => {
          await phone.shot(p, what);
          assert.deepEqual(await smallTargets(p), [], `${lang} ${what}: touch targets under ${MIN_TARGET} px`);
          assert.ok((await overflow(p)) <= 1, `${lang} ${what}: the page is ${await overflow(p)} px wider than the screen`);
        };
        for (const path of ['users', 'clients', 'settings', 'branding', 'keys', 'audit']) {
          await p.goto(`${ISSUER}/admin/${path}`);
          await p.getByRole('heading', { level: 1, name: TEXT[lang][path], exact: true }).waitFor();
          await check(`phone-${path}`);
        }
        await p.goto(`${ISSUER}/admin/users`);
        await p.getByRole('link', { name: adminName, exact: true }).click();
        await p.getByRole('heading', { level: 1, name: adminName }).waitFor();
        await check('phone-user');
        await p.goto(`${ISSUER}/admin/clients`);
        await p.locator(`a[href$="/admin/clients/portail-${suffix}"]`).first().click();
        await p.getByRole('heading', { level: 1 }).waitFor();
        await check('phone-client');
        phone.assertClean();
      } finally {
        await phone.close();
      }
    }

    // The branding cleared again, for the suites that follow.
    await page.goto(`${ISSUER}/admin/branding`);
    await page.getByLabel('Couleur principale', { exact: true }).fill('');
    await page.getByLabel('Mentions légales', { exact: true }).fill('');
    await page.getByLabel('Retirer le logo', { exact: true }).check();
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('L’apparence est enregistrée.').waitFor();
    assert.equal(await page.locator('.logo-preview img').count(), 0, 'the logo removed');
    s.assertClean();
    assert.ok(s.checked >= 15, 'axe-core ran on every page state');
  } finally {
    await s.close();
  }
});

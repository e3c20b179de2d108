// Browser suite 4: the languages of the pages: French by default, any
// shipped language through ui_locales or the browser's language
// (Accept-Language); every page of a sign-in in each of them, Arabic
// right to left, under axe-core.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { CLIENTS, USER, rp, newRequest } from '../tests/lib/setup.mjs';
import { launch, openContext, waitForSignIn, signInWith, messages, LABELS, LANGUAGES, TEST_TIMEOUT } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Opens the sign-in page in a context with `locale` and returns what the page says. */
async function signInPage(name, { locale, uiLocales, expect }) {
  const s = await openContext(browser, `language-${name}`, { locale });
  try {
    const config = await rp('basic');
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri, extra: uiLocales ? { ui_locales: uiLocales } : {} });
    const page = await s.newPage();
    await page.goto(req.url.href);
    await waitForSignIn(page, expect);
    await s.shot(page, 'sign-in');
    const seen = {
      acceptLanguage: await page.evaluate(() => navigator.languages.join(',')),
      lang: await page.evaluate(() => document.documentElement.lang),
      h1: (await page.getByRole('heading', { level: 1 }).textContent()).trim(),
      button: (await page.locator('form button[type=submit]').textContent()).trim(),
      username: (await page.locator('label[for=username]').textContent()).trim(),
      password: (await page.locator('label[for=password]').textContent()).trim(),
    };
    s.assertClean([]);
    return seen;
  } finally {
    await s.close();
  }
}

function assertLanguage(seen, lang, what) {
  const L = LABELS[lang];
  assert.equal(seen.lang, lang, `${what}: <html lang> (browser languages ${seen.acceptLanguage})`);
  assert.equal(seen.h1, L.title, `${what}: heading`);
  assert.equal(seen.button, L.signIn, `${what}: button text`);
  assert.equal(seen.username, L.username, `${what}: username label`);
  assert.equal(seen.password, L.password, `${what}: password label`);
}

test('browser: the sign-in page is French by default, another language with ui_locales or a browser in it', { timeout: TEST_TIMEOUT }, async () => {
  // A browser in a language Trame does not have (Dutch): the default, French.
  const nl = await signInPage('nl-default', { locale: 'nl-NL', expect: 'fr' });
  assert.equal(nl.acceptLanguage, 'nl-NL');
  assertLanguage(nl, 'fr', 'nl-NL browser');
  // A German browser: German.
  assertLanguage(await signInPage('de', { locale: 'de-DE', expect: 'de' }), 'de', 'de-DE browser');
  // A French browser.
  assertLanguage(await signInPage('fr', { locale: 'fr-FR', expect: 'fr' }), 'fr', 'fr-FR browser');
  // ui_locales=en wins over the browser's language.
  assertLanguage(await signInPage('de-ui-en', { locale: 'de-DE', uiLocales: 'en', expect: 'en' }), 'en', 'de-DE browser, ui_locales=en');
  assertLanguage(await signInPage('fr-ui-en', { locale: 'fr-FR', uiLocales: 'en', expect: 'en' }), 'en', 'fr-FR browser, ui_locales=en');
  // An English browser (Accept-Language from the context locale).
  assertLanguage(await signInPage('en-US', { locale: 'en-US', expect: 'en' }), 'en', 'en-US browser');
  // ui_locales=fr wins over an English browser.
  assertLanguage(await signInPage('en-ui-fr', { locale: 'en-US', uiLocales: 'fr', expect: 'fr' }), 'fr', 'en-US browser, ui_locales=fr');
});

// Every page of a sign-in, in each shipped language from the browser's
// own: sign-in, sign-up, consent (refused, so it is asked again in the
// next language), logout confirmation, signed out, an error page, the
// transparency page its footer links. Each
// state is screenshot and checked by axe-core (s.shot); each says what
// its translation file says, in <html lang> and, for Arabic, right to
// left.
for (const lang of LANGUAGES) {
  test(`browser: every page of a sign-in in ${lang}`, { timeout: TEST_TIMEOUT }, async () => {
    const L = LABELS[lang];
    const s = await openContext(browser, `language-pages-${lang}`, { locale: lang === 'en' ? 'en-GB' : lang });
    try {
      const config = await rp('basic');
      const meta = config.serverMetadata();
      const page = await s.newPage();
      const expectPage = async (what) => {
        assert.equal(await page.locator('html').getAttribute('lang'), lang, `${what}: lang`);
        assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr', `${what}: dir`);
        await s.shot(page, what);
      };
      // prompt=consent: the consent page even where another test's
      // consent was kept.
      const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri, scope: 'openid profile', extra: { prompt: 'consent' } });
      await page.goto(req.url.href);
      await waitForSignIn(page, lang);
      await expectPage('sign-in');
      if (lang === 'ar') {
        // Mirrored: the form's labels start at the right (the text's own
        // box: a block label spans the card's width either way).
        const text = await page.locator('label[for=username]').evaluate((l) => {
          const r = document.createRange();
          r.selectNodeContents(l);
          const t = r.getBoundingClientRect();
          const c = l.closest('main').getBoundingClientRect();
          return { left: t.left - c.left, right: c.right - t.right, width: c.width };
        });
        assert.ok(text.left > text.width / 2 && text.right < text.width / 4, `the label sits on the right of the card: ${JSON.stringify(text)}`);
      }
      const signup = page.getByRole('link', { name: L.signupLink, exact: true });
      if ((await signup.count()) > 0) {
        await signup.click();
        await page.getByRole('heading', { level: 1, name: L.signupTitle }).waitFor();
        await expectPage('sign-up');
        await page.goBack();
        await waitForSignIn(page, lang);
      }
      await signInWith(page, { ...USER, lang });
      await page.getByRole('heading', { level: 1, name: L.consentTitle }).waitFor();
      await expectPage('consent');
      const refused = s.nextRpHit(CLIENTS.basic.redirectUri);
      await page.getByRole('button', { name: L.deny, exact: true }).click();
      assert.equal(new URL((await refused).url).searchParams.get('error'), 'access_denied');
      await page.waitForURL((u) => u.href.startsWith(CLIENTS.basic.redirectUri));
      await page.goto(meta.end_session_endpoint);
      await page.getByRole('heading', { level: 1, name: L.logoutTitle }).waitFor();
      await expectPage('logout-confirmation');
      await page.getByRole('button', { name: L.logoutButton, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: L.signedOut }).waitFor();
      await expectPage('signed-out');
      const bad = new URL(meta.authorization_endpoint);
      bad.search = new URLSearchParams({ client_id: 'no-such-client', redirect_uri: CLIENTS.basic.redirectUri, response_type: 'code', scope: 'openid', state: client.randomState() }).toString();
      await page.goto(bad.href);
      await page.getByRole('heading', { level: 1, name: L.errorTitle }).waitFor();
      assert.equal((await page.getByRole('alert').textContent()).trim(), L.unknownClient);
      await expectPage('error');
      // The footer's transparency page.
      await page.getByRole('contentinfo').getByRole('link', { name: L.transparency, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: L.transparencyTitle }).waitFor();
      await expectPage('transparency');
      s.assertClean([CLIENTS.basic.redirectUri]);
    } finally {
      await s.close();
    }
  });
}

// The switcher: a plain link list on every page; the choice is kept in a
// cookie, wins over ui_locales and the browser's language, and the
// sign-in goes on where it was.
test('browser: the language switcher changes the page and every page after it', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openContext(browser, 'language-switcher', { locale: 'fr-FR' });
  try {
    const config = await rp('basic');
    const page = await s.newPage();
    const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri, scope: 'openid profile', extra: { prompt: 'consent' } });
    await page.goto(req.url.href);
    await waitForSignIn(page, 'fr');
    const switcher = page.getByRole('navigation', { name: messages('fr')['language-switcher-label'], exact: true });
    assert.equal(await switcher.getByRole('link').count(), LANGUAGES.length, 'one link per shipped language');
    await switcher.getByRole('link', { name: messages('de')['language-name'], exact: true }).click();
    await waitForSignIn(page, 'de');
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.equal(new URL(page.url()).searchParams.get('interaction') !== null, true, 'the same sign-in goes on');
    await s.shot(page, 'sign-in-de');
    await signInWith(page, { ...USER, lang: 'de' });
    await page.getByRole('heading', { level: 1, name: LABELS.de.consentTitle }).waitFor();
    await s.shot(page, 'consent-de');
    const refused = s.nextRpHit(CLIENTS.basic.redirectUri);
    await page.getByRole('button', { name: LABELS.de.deny, exact: true }).click();
    await refused;
    await page.waitForURL((u) => u.href.startsWith(CLIENTS.basic.redirectUri));
    // A relying party asking for English: the person's choice stays.
    const en = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri, scope: 'openid', extra: { ui_locales: 'en', prompt: 'login' } });
    await page.goto(en.url.href);
    await waitForSignIn(page, 'de');
    // To Arabic, right to left.
    await page.getByRole('navigation', { name: messages('de')['language-switcher-label'], exact: true }).getByRole('link', { name: messages('ar')['language-name'], exact: true }).click();
    await waitForSignIn(page, 'ar');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await s.shot(page, 'sign-in-ar');
    s.assertClean([CLIENTS.basic.redirectUri]);
  } finally {
    await s.close();
  }
});

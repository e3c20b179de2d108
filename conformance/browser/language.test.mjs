// Browser suite 4: the language of the sign-in page — French by default,
// English through ui_locales or the browser's language (Accept-Language).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENTS, rp, newRequest } from '../tests/lib/setup.mjs';
import { launch, openContext, waitForSignIn, LABELS, TEST_TIMEOUT } from './lib/harness.mjs';

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

test('browser: the sign-in page is French by default, English with ui_locales=en or an English browser', { timeout: TEST_TIMEOUT }, async () => {
  // A browser in a language Trame does not have (German): the default, French.
  const de = await signInPage('de-default', { locale: 'de-DE', expect: 'fr' });
  assert.equal(de.acceptLanguage, 'de-DE');
  assertLanguage(de, 'fr', 'de-DE browser');
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

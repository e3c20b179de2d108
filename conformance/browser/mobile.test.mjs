// Browser suite: the citizen's pages on a phone (375 × 740, isMobile,
// hasTouch), left to right and right to left: every link, button and
// disclosure is a touch target of at least 44 × 44 CSS px (WCAG 2.5.5),
// nothing is wider than the screen, and the consent page lists what the
// service asks for in a human order (who you are, how to reach you,
// access in your absence last), each with its explanation. Every state is
// screenshot and checked by axe-core (s.shot).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, USER, CLIENTS, rp, newRequest, client } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, LABELS, TEST_TIMEOUT, MOBILE_CONTEXT, MIN_TARGET, smallTargets, overflow, messages } from './lib/harness.mjs';

/** The order of the consent page's list (trame_core::scope::Scopes::in_reading_order). */
const READING_ORDER = ['openid', 'profile', 'email', 'phone', 'address', 'offline_access'];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const lang of ['fr', 'ar']) {
  test(`browser: on a phone (${lang}), every link and button is at least 44 × 44 px and the pages fit the screen; consent lists the scopes in a human order, explained`, { timeout: TEST_TIMEOUT }, async () => {
    const L = LABELS[lang];
    const M = messages(lang);
    const s = await openContext(browser, `mobile-${lang}`, { locale: lang, ...MOBILE_CONTEXT });
    try {
      const config = await rp('basic');
      const meta = config.serverMetadata();
      const page = await s.newPage();
      const check = async (what) => {
        assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr', `${what}: dir`);
        await s.shot(page, what);
        assert.deepEqual(await smallTargets(page), [], `${what}: touch targets under ${MIN_TARGET} px`);
        assert.ok((await overflow(page)) <= 1, `${what}: the page is ${await overflow(page)} px wider than the screen`);
      };

      // Every scope, in an order no human would pick; prompt=consent so
      // the page is shown even where a consent was kept (it is refused).
      const scope = [...READING_ORDER].reverse().join(' ');
      const req = await newRequest(config, { redirectUri: CLIENTS.basic.redirectUri, scope, extra: { prompt: 'consent' } });
      await page.goto(req.url.href);
      await waitForSignIn(page, lang);
      await check('sign-in');

      const signup = page.getByRole('link', { name: L.signupLink, exact: true });
      if ((await signup.count()) > 0) {
        await signup.click();
        await page.getByRole('heading', { level: 1, name: L.signupTitle }).waitFor();
        await check('sign-up');
        await page.goBack();
        await waitForSignIn(page, lang);
      }

      await signInWith(page, { ...USER, lang });
      await page.getByRole('heading', { level: 1, name: L.consentTitle }).waitFor();
      await check('consent');
      const listed = await page.locator('#scopes > li').evaluateAll((items) =>
        items.map((li) => ({ scope: li.dataset.scope, label: li.querySelector('strong').textContent, help: li.querySelector('.scope-help').textContent })),
      );
      assert.deepEqual(listed.map((x) => x.scope), READING_ORDER, 'identity, then e-mail, phone, address, then offline access last');
      for (const x of listed) {
        assert.equal(x.label, M[`scope-${x.scope}`], `${x.scope}: its name`);
        assert.equal(x.help, M[`scope-${x.scope}-help`], `${x.scope}: its explanation`);
      }
      const refused = s.nextRpHit(CLIENTS.basic.redirectUri);
      await page.getByRole('button', { name: L.deny, exact: true }).click();
      await refused;
      await page.waitForURL((u) => u.href.startsWith(CLIENTS.basic.redirectUri));

      await page.goto(`${ISSUER}/account`);
      await page.locator('#passkeys-title').waitFor();
      await check('account');

      await page.goto(meta.end_session_endpoint);
      await page.getByRole('heading', { level: 1, name: L.logoutTitle }).waitFor();
      await check('logout-confirmation');
      await page.getByRole('button', { name: L.logoutButton, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: L.signedOut }).waitFor();
      await check('signed-out');

      const bad = new URL(meta.authorization_endpoint);
      bad.search = new URLSearchParams({ client_id: 'no-such-client', redirect_uri: CLIENTS.basic.redirectUri, response_type: 'code', scope: 'openid', state: client.randomState() }).toString();
      await page.goto(bad.href);
      await page.getByRole('heading', { level: 1, name: L.errorTitle }).waitFor();
      await check('error');

      await page.getByRole('contentinfo').getByRole('link', { name: L.transparency, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: L.transparencyTitle }).waitFor();
      await check('transparency');
      s.assertClean([CLIENTS.basic.redirectUri]);
    } finally {
      await s.close();
    }
  });
}

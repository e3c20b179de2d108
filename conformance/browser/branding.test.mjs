// Browser suite: two collectivités of one installation, branded with the
// CLI on the running server (no rebuild, no restart), each sign-in page
// showing its own logo, name, colour and footer mentions; every state
// checked by axe-core (WCAG 2.1 AA), the logo loaded from the tenant's
// own address with no CSP violation and nothing from another origin.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ISSUER } from '../tests/lib/setup.mjs';
import { launch, openContext, waitForSignIn, trameCli, LABELS, TEST_TIMEOUT } from './lib/harness.mjs';


let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const trame = trameCli;

/** `rgb(r, g, b)` as Chromium computes a colour. */
function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

test('branding: two tenants show two collectivités, set by the CLI while the server runs', { timeout: 2 * TEST_TIMEOUT }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'trame-branding-'));
  const suffix = randomBytes(3).toString('hex');
  const towns = [
    {
      slug: `st-exemple-${suffix}`, name: 'Saint-Exemple', color: '#1e3a8a', status: 'partial', mention: 'Accessibilité\u00a0: partiellement conforme',
      svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" onload="alert(1)"><script>alert(2)</script><circle cx="20" cy="20" r="18" fill="#1e3a8a"/></svg>',
      links: { legal: 'https://saint-exemple.example/mentions', privacy: 'https://saint-exemple.example/donnees', home: 'https://saint-exemple.example/' },
    },
    {
      slug: `autre-ville-${suffix}`, name: 'Autre-Ville', color: '#6a1b4d', status: 'full', mention: 'Accessibilité\u00a0: totalement conforme',
      svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect x="2" y="2" width="36" height="36" fill="#6a1b4d"/></svg>',
      links: { legal: 'https://autre-ville.example/legal', privacy: 'https://autre-ville.example/vie-privee', home: 'https://autre-ville.example/' },
    },
  ];
  for (const t of towns) {
    const logo = path.join(dir, `${t.slug}.svg`);
    writeFileSync(logo, t.svg);
    await trame(['tenant', 'add', t.slug, '--display-name', t.name]);
    const out = await trame([
      'tenant', 'set', t.slug, '--logo-file', logo, '--primary-color', t.color, '--legal-notice-url', t.links.legal,
      '--privacy-url', t.links.privacy, '--accessibility-status', t.status, '--contact-url', `mailto:mairie@${t.slug}.example`, '--service-url', t.links.home,
    ]);
    assert.match(out, /logo image\/svg\+xml/);
  }
  // The running server sees them within its catalog poll (about a second).
  const s = await openContext(browser, 'branding');
  try {
    const page = await s.newPage();
    for (const t of towns) {
      const issuer = `${ISSUER}/${t.slug}`;
      let shown = false;
      for (let i = 0; i < 50 && !shown; i++) {
        await page.goto(`${issuer}/account`);
        shown = (await page.locator('.brand-logo').count()) > 0;
        if (!shown) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(shown, `${t.slug}: the logo appears without a restart`);
      await waitForSignIn(page);
      const header = page.getByRole('banner');
      assert.equal((await header.locator('.brand-name').textContent()).trim(), t.name);
      assert.equal(await header.getByRole('link').getAttribute('href'), t.links.home);
      assert.match(await header.getByRole('link').textContent(), new RegExp(t.name));
      const logo = header.locator('img.brand-logo');
      assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), `${t.slug}: the logo loaded`);
      assert.ok((await logo.getAttribute('src')).startsWith(`/${t.slug}/brand/logo?v=`));
      assert.match(await page.title(), new RegExp(`· ${t.name}$`), 'the title names the collectivité');
      const footer = page.getByRole('contentinfo');
      assert.equal(await footer.getByRole('link', { name: 'Mentions légales' }).getAttribute('href'), t.links.legal);
      assert.equal(await footer.getByRole('link', { name: 'Données personnelles' }).getAttribute('href'), t.links.privacy);
      assert.equal(await footer.getByRole('link', { name: 'Contact' }).getAttribute('href'), `mailto:mairie@${t.slug}.example`);
      assert.equal((await footer.getByText(/^Accessibilité/).textContent()).trim(), t.mention);
      // The colour reaches the buttons (white text on it: 4.5:1 or more,
      // the CLI's rule).
      const button = page.getByRole('button', { name: LABELS.fr.passkeySignIn, exact: true });
      assert.equal(await button.evaluate((b) => getComputedStyle(b).backgroundColor), rgb(t.color), `${t.slug}: its colour`);
      const secondary = page.getByRole('button', { name: LABELS.fr.signIn, exact: true });
      assert.equal(await secondary.evaluate((b) => getComputedStyle(b).color), rgb(t.color), `${t.slug}: its colour on white`);
      await s.shot(page, `sign-in-${t.slug.replace(/-[0-9a-f]+$/, '')}`);
      await page.setViewportSize({ width: 375, height: 740 });
      await s.shot(page, `sign-in-${t.slug.replace(/-[0-9a-f]+$/, '')}-mobile`);
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    // The logo's address answers as an image that runs nothing.
    const logoRes = s.responses.find((r) => r.url.includes(`/${towns[0].slug}/brand/logo`) && r.status === 200);
    assert.ok(logoRes, 'the logo was fetched from the tenant');
    assert.equal(logoRes.headers['content-type'], 'image/svg+xml');
    assert.match(logoRes.headers['content-security-policy'], /sandbox/);
    s.assertClean();
  } finally {
    await s.close();
    for (const t of towns) await trame(['tenant', 'remove', t.slug, '--yes']).catch(() => {});
  }
});

// Browser suite: a collectivité's themes folder (run.sh sets
// TRAME_THEMES_DIR to an empty folder), written while the server runs: a
// stylesheet of its own, one message replaced, a template replaced, and a
// language added as a folder (Breton). Each shows without a restart, the
// other tenants keep the built-in theme, every state passes axe-core, and
// a template that does not parse never takes the page down.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUER } from '../tests/lib/setup.mjs';
import { launch, openContext, waitForSignIn, trameCli, TEST_TIMEOUT } from './lib/harness.mjs';

const THEMES = process.env.TRAME_THEMES_DIR;
const FR = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'themes', 'default', 'locales', 'fr', 'main.ftl'), 'utf8');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function write(rel, text) {
  const p = path.join(THEMES, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
}

/** Reloads `url` until `ready(page)` holds: the server reads the folder again within about two seconds. */
async function until(page, url, ready, what) {
  for (let i = 0; i < 50; i++) {
    await page.goto(url);
    if (await ready(page)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what}: not shown without a restart`);
}

test('themes: a folder changes one collectivité’s pages while the server runs, and adds a language', { timeout: 3 * TEST_TIMEOUT }, async (t) => {
  if (!THEMES) return t.skip('run.sh sets TRAME_THEMES_DIR');
  const slug = `theme-ville-${randomBytes(3).toString('hex')}`;
  const other = `theme-autre-${randomBytes(3).toString('hex')}`;
  await trameCli(['tenant', 'add', slug, '--display-name', 'Ville-Thème']);
  await trameCli(['tenant', 'add', other, '--display-name', 'Autre-Thème']);
  const s = await openContext(browser, 'themes');
  try {
    const page = await s.newPage();
    const account = `${ISSUER}/${slug}/account`;
    // Until the server's catalog has it, the address is the default
    // tenant's unknown page.
    await until(page, account, async (p) => (await p.locator('.brand-name').count()) > 0 && (await p.locator('.brand-name').textContent()).trim() === 'Ville-Thème', 'the new tenant');
    await waitForSignIn(page);

    // A stylesheet, a message and a template of its own.
    write(`${slug}/static/theme.css`, '.brand { border-bottom: 6px solid #0b6e4f; }\n');
    write(`${slug}/locales/fr/ville.ftl`, 'sign-in-title = Connexion à l’espace citoyen\n');
    write(`${slug}/templates/login.html`, readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'themes', 'default', 'templates', 'login.html'), 'utf8')
      .replace('{% block main %}', '{% block main %}<p class="ville-notice">Service proposé par la mairie de Ville-Thème.</p>'));
    await until(page, account, async (p) => (await p.locator('.ville-notice').count()) > 0, 'the template');
    await waitForSignIn(page);
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Connexion à l’espace citoyen', 'the message');
    const border = await page.locator('header.brand').evaluate((h) => getComputedStyle(h).borderBottomWidth);
    assert.equal(border, '6px', 'the stylesheet');
    const css = s.responses.find((r) => r.url.includes(`/${slug}/brand/static/theme.css?v=`));
    assert.equal(css?.status, 200, 'the stylesheet comes from the tenant');
    await s.shot(page, 'themes-override');

    // The other tenant keeps the built-in theme.
    await page.goto(`${ISSUER}/${other}/account`);
    await waitForSignIn(page);
    assert.equal(await page.locator('.ville-notice').count(), 0);
    assert.notEqual((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Connexion à l’espace citoyen');

    // A language as a folder: Breton, partly translated (the rest shows in French).
    write('locales/br/main.ftl', FR.replace('language-name = Français', 'language-name = Brezhoneg').replace(/^sign-in-title = .*$/m, 'sign-in-title = Kevreañ'));
    await until(page, `${ISSUER}/${other}/account`, async (p) => (await p.getByRole('link', { name: 'Brezhoneg' }).count()) > 0, 'the new language');
    await page.getByRole('link', { name: 'Brezhoneg' }).click();
    await waitForSignIn(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'br');
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Kevreañ');
    await s.shot(page, 'themes-language-br');
    const discovery = await (await fetch(`${ISSUER}/${other}/.well-known/openid-configuration`)).json();
    assert.ok(discovery.ui_locales_supported.includes('br'), 'discovery lists it');
    await page.getByRole('link', { name: 'Français' }).click();
    await waitForSignIn(page);

    // A broken template: the built-in one is drawn, the page still works.
    write(`${slug}/templates/login.html`, '{% extends "base.html" %}{% block main %}{% if %}{% endblock %}');
    await until(page, account, async (p) => (await p.locator('.ville-notice').count()) === 0, 'the fallback');
    await waitForSignIn(page);
    s.assertClean();
  } finally {
    await s.close();
    rmSync(path.join(THEMES, slug), { recursive: true, force: true });
    rmSync(path.join(THEMES, 'locales'), { recursive: true, force: true });
    for (const x of [slug, other]) await trameCli(['tenant', 'remove', x, '--yes']).catch(() => {});
  }
});

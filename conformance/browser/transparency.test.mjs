// Browser suite: the public transparency page shows the transactions just
// made. Tokens are issued with openid-client (client_credentials), the
// JSON figures move by exactly as many, and the page shows them in its
// table, under axe-core, with nothing loaded from another origin.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { ISSUER, rp } from '../tests/lib/setup.mjs';
import { launch, openContext, LABELS, TEST_TIMEOUT } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function figures() {
  const res = await fetch(`${ISSUER}/transparence.json`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  return res.json();
}

test('transparency: the page shows the tokens just issued, counted exactly from 10', { timeout: 2 * TEST_TIMEOUT }, async () => {
  const config = await rp('m2m');
  // Enough tokens that today's count is at least 10, so shown exactly.
  for (let i = 0; i < 10; i++) await client.clientCredentialsGrant(config);
  const before = (await figures()).days[0].transactions.tokens;
  assert.equal(typeof before, 'number', `at least 10 tokens today: ${before}`);
  for (let i = 0; i < 3; i++) await client.clientCredentialsGrant(config);
  const report = await figures();
  const today = report.days[0];
  assert.equal(today.transactions.tokens, before + 3, 'three more tokens');
  assert.equal(report.months[0].transactions.tokens >= today.transactions.tokens, true);
  assert.equal(report.small_counts_below, 10);

  const s = await openContext(browser, 'transparency', { locale: 'fr-FR' });
  try {
    const page = await s.newPage();
    await page.goto(`${ISSUER}/transparence`);
    await page.getByRole('heading', { level: 1, name: LABELS.fr.transparencyTitle }).waitFor();
    // The first row of the days' table is today; its tokens cell says the count.
    const days = page.getByRole('table').last();
    const header = await days.locator('thead th').allTextContents();
    const col = header.findIndex((h) => h.trim() === 'Jetons délivrés');
    assert.ok(col > 0, `a tokens column: ${header}`);
    const firstRow = days.locator('tbody tr').first();
    assert.equal((await firstRow.locator('th').textContent()).trim(), today.period);
    const cells = await firstRow.locator('th, td').allTextContents();
    assert.equal(Number(cells[col].trim()), today.transactions.tokens, `the page's count: ${cells}`);
    await s.shot(page, 'page');
    // Narrow screens: the tables scroll inside their region, the page does not.
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page itself does not scroll sideways (${overflow}px)`);
    await s.shot(page, 'page-mobile');
    s.assertClean([]);
    const foreign = s.requests.filter((r) => !r.url.startsWith(new URL(ISSUER).origin) && !r.url.startsWith('data:'));
    assert.deepEqual(foreign, [], 'nothing from another origin');
  } finally {
    await s.close();
  }
});

// The admin console in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against a running
// orderbridge, the WooCommerce simulator and the Engage simulator: an owner's whole first hour, a screenshot a page
// under test/artifacts/. Then what no browser would do: pages without a session, a form post without its CSRF token.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOPIFY_WEBHOOK_TOPICS } from '../connectors/platforms/shopify/install/topics.ts';
import { startShopifySimulator, type RunningShopifySimulator } from '../connectors/platforms/shopify/simulator/index.ts';
import { startWooSimulator, type RunningWooSimulator } from '../connectors/platforms/woocommerce/simulator/index.ts';
import { ENGAGE_SIM_DEFAULT_TOKEN, startEngageSimulator, type RunningEngageSimulator } from '../connectors/stores/engage/simulator/index.ts';
import { query } from './support/database.ts';
import { BROWSER } from './support/installHarness.ts';
import { ROOT, startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';

const TOKEN = 'console-browser-token';
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test/artifacts');

describe('admin console in headless Chromium', () => {
  let ob: OrderbridgeProcess;
  let woo: RunningWooSimulator;
  let engage: RunningEngageSimulator;
  let browser: BrowserContext;
  let page: Page;
  let userData: string;
  let shopId: string;

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
  /** Reloads the page until `ready` holds (delivery happens in the background). */
  const reloadUntil = async (ready: () => Promise<boolean>, what: string, ms = 10_000) => {
    const until = Date.now() + ms;
    for (;;) {
      if (await ready()) return;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the page said:\n${await page.locator('main').innerText()}`);
      await new Promise((r) => setTimeout(r, 150));
      await page.reload();
    }
  };
  const engageCard = () => page.locator(`[data-destination="${shopId}:engage"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    userData = mkdtempSync(join(tmpdir(), 'ob-chromium-'));
    // Two attempts a short back-off apart: a store that keeps refusing the key makes a dead letter within the test.
    [ob, woo, engage] = await Promise.all([
      startOrderbridge({ ADMIN_TOKEN: TOKEN, DELIVERY_POLL_MS: '20', DELIVERY_MAX_ATTEMPTS: '2', DELIVERY_BACKOFF_BASE_MS: '50', DELIVERY_BACKOFF_MAX_MS: '100' }),
      startWooSimulator({ consumerKey: 'ck_console', consumerSecret: 'cs_console', storeCurrency: 'EUR' }),
      startEngageSimulator({ maxOrderAgeDays: 0 }),
    ]);
    shopId = `woocommerce:${new URL(woo.url).host}`;
    browser = await chromium.launchPersistentContext(userData, {
      executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'], viewport: { width: 1100, height: 900 },
    });
    page = browser.pages()[0] ?? await browser.newPage();
    page.setDefaultTimeout(8_000); // a missing element fails the step it is in, not the whole test's time
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([ob?.stop(), woo?.close(), engage?.close()]);
    rmSync(userData, { recursive: true, force: true });
  });

  it('logs in, connects a WooCommerce shop, adds Engage, sees an order arrive, a dead letter when broken, and replays it once fixed', async () => {
    // Without a session the console sends the browser to log in, and back after.
    await page.goto(`${ob.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await shot('1-login');
    await page.fill('#token', 'not-the-token');
    await page.click('button:has-text("Log in")');
    await expect(page.locator('.flash.error').textContent()).resolves.toContain('not the admin token');
    await page.fill('#token', TOKEN);
    await page.click('button:has-text("Log in")');
    await expect(page.locator('h1').textContent()).resolves.toBe('Shops');
    const cookie = (await browser.cookies()).find((c) => c.name === 'ob_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    expect(cookie.expires).toBeGreaterThan(Date.now() / 1000);
    await shot('2-shops-empty');

    // Connect the simulator's shop with REST keys: its webhooks registered to this orderbridge.
    await page.click('text=Connect a WooCommerce shop');
    await page.fill('#url', woo.url);
    await page.fill('#consumerKey', 'ck_console');
    await page.fill('#consumerSecret', 'cs_console');
    await page.fill('#storeCurrency', 'EUR');
    await shot('3-connect-woocommerce');
    await page.click('button:has-text("Connect")');
    await expect(page.locator('.flash').textContent()).resolves.toContain('5 webhooks registered');
    expect(woo.webhooks.map((w) => w.topic).sort()).toEqual(['customer.created', 'order.created', 'order.deleted', 'order.restored', 'order.updated']);
    expect(woo.webhooks.every((w) => w.deliveryUrl === `${ob.url}/webhooks/woocommerce`)).toBe(true);

    // Add Engage from the store catalogue: the form is the store's settings schema.
    await page.click('a.button:has-text("Engage Order History")');
    await expect(page.locator('label[for="s.statuses.placed"]').count()).resolves.toBe(1); // a nested setting has its field
    await page.fill('#secret', ENGAGE_SIM_DEFAULT_TOKEN);
    await page.fill('[id="s.baseUrl"]', engage.url);
    await page.selectOption('[id="s.sendTestOrders"]', 'false');
    await shot('4-add-engage');
    await page.click('button:has-text("Add store")');
    await expect(page.locator('.flash').textContent()).resolves.toContain('Engage Order History added');
    await expect(engageCard().count()).resolves.toBe(1);
    await engageCard().locator('button:has-text("Test connection")').click();
    await expect(page.locator('.flash').textContent()).resolves.toContain('Cannot test Engage Order History');

    // An order placed at the shop arrives on the shop page and at Engage.
    const order = await woo.createOrder({
      status: 'processing', set_paid: true, currency: 'EUR',
      billing: { first_name: 'Ada', last_name: 'Byron', email: 'ada@example.com', country: 'SE', city: 'Malmö' },
      line_items: [{ name: 'Mug', product_id: 7001, quantity: 2, price: '12.50', sku: 'MUG-1' }],
    });
    const orderKey = `${shopId}:${order.id as number}`;
    await reloadUntil(async () => (await page.locator(`#recent-orders [data-order="${orderKey}"]`).count()) === 1
      && (await engageCard().locator('[data-pipeline="delivered"]').textContent()) === '1', 'the order on the shop page');
    expect([...engage.orders.values()].map((o) => o.status)).toHaveLength(1);
    await expect(page.locator(`#recent-orders [data-order="${orderKey}"]`).textContent()).resolves.toContain('paid');
    await expect(page.locator('svg path[data-series="webhooks received"]').getAttribute('d')).resolves.toMatch(/L[\d.]+ \d/);
    await shot('5-shop-with-order');

    // Break the destination (a wrong key): the next change of the order becomes a dead letter with Engage's words.
    await engageCard().locator('a:has-text("Edit")').click();
    await page.fill('#secret', 'a-wrong-token');
    await page.click('button:has-text("Save")');
    await expect(page.locator('.flash').textContent()).resolves.toContain('saved');
    await woo.updateOrder(order.id as number, { status: 'completed' });
    await reloadUntil(async () => (await engageCard().locator('[data-pipeline="dead-letters"]').textContent()) === '1', 'the dead letter');
    await shot('6-shop-dead-letter');
    await engageCard().locator('[data-pipeline="dead-letters"] a').click();
    const letter = page.locator('[data-letter]');
    await expect(letter.count()).resolves.toBe(1);
    await expect(letter.locator('pre').textContent()).resolves.toMatch(/gave up after 2 attempts: Engage 401/);
    await expect(letter.locator('pre').textContent()).resolves.not.toContain('a-wrong-token');
    await shot('7-dead-letters');
    expect([...engage.orders.values()][0]!.status).not.toBe('completed');

    // Fix the key, replay the letter: the completed order reaches Engage.
    await page.goto(`${ob.url}/admin/shops/${encodeURIComponent(shopId)}`);
    await engageCard().locator('a:has-text("Edit")').click();
    await page.fill('#secret', ENGAGE_SIM_DEFAULT_TOKEN);
    await page.click('button:has-text("Save")');
    await page.click('text=Dead letters');
    await page.locator('[data-letter] button:has-text("Replay")').click();
    await expect(page.locator('.flash').textContent()).resolves.toContain('replayed');
    await expect(page.locator('[data-letter]').count()).resolves.toBe(0);
    await shot('8-replayed');
    await page.goto(`${ob.url}/admin/shops/${encodeURIComponent(shopId)}`);
    await reloadUntil(async () => (await engageCard().locator('[data-pipeline="delivered"]').textContent()) === '2', 'the replayed order at Engage');
    expect([...engage.orders.values()].map((o) => o.status)).toEqual([expect.stringMatching(/completed/i)]);
    await expect(engageCard().locator('[data-pipeline="dead-letters"]').textContent()).resolves.toBe('0');
    await shot('9-shop-after-replay');

    // On a phone the shop page fits the screen's width: wide tables scroll inside their box, the chart shrinks.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('10-shop-on-a-phone');
    await page.setViewportSize({ width: 1100, height: 900 });

    await page.goto(`${ob.url}/admin`);
    await expect(page.locator(`[data-shop="${shopId}"]`).textContent()).resolves.toContain('installed');
    await shot('11-shops');
  }, 60_000);

  it('sends every page to the login without a session, and refuses a form post without its CSRF token', async () => {
    for (const path of ['/admin', `/admin/shops/${encodeURIComponent(shopId)}`, '/admin/dead-letters', '/admin/quarantine', '/admin/connect/woocommerce']) {
      const r = await fetch(`${ob.url}${path}`, { redirect: 'manual' });
      expect(r.status, path).toBe(303);
      expect(r.headers.get('location'), path).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
    }
    const noSession = await fetch(`${ob.url}/admin/shops/${encodeURIComponent(shopId)}/stores/engage/remove`, { method: 'POST', redirect: 'manual' });
    expect(noSession.status).toBe(401);

    // Removing a store asks first (/admin/console.js: the console's CSP runs no inline handler); dismissed, nothing is sent.
    await page.goto(`${ob.url}/admin/shops/${encodeURIComponent(shopId)}`);
    const asked: string[] = [];
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await page.locator(`[data-destination="${shopId}:engage"] button:has-text("Remove")`).click();
    expect(asked).toEqual(['Remove this store? What is still queued for it is dropped; its dead letters stay.']);
    expect(query(ob.databasePath, 'SELECT id FROM destinations WHERE id = ?', `${shopId}:engage`)).toHaveLength(1);

    // The browser's own session cookie, but a post that does not carry the form's token (another site's form would not).
    const session = (await browser.cookies()).find((c) => c.name === 'ob_session')!;
    const headers = { cookie: `ob_session=${session.value}`, 'content-type': 'application/x-www-form-urlencoded' };
    const removePath = `${ob.url}/admin/shops/${encodeURIComponent(shopId)}/stores/engage/remove`;
    for (const body of ['', '_csrf=forged-token']) {
      const r = await fetch(removePath, { method: 'POST', headers, body, redirect: 'manual' });
      expect(r.status).toBe(403);
    }
    expect(query(ob.databasePath, 'SELECT id FROM destinations WHERE id = ?', `${shopId}:engage`)).toHaveLength(1);
    // With the token the page gave, the same post goes through: the refusal above was the token's.
    await page.goto(`${ob.url}/admin/shops/${encodeURIComponent(shopId)}`);
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    const r = await fetch(removePath, { method: 'POST', headers, body: `_csrf=${encodeURIComponent(csrf!)}`, redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(query(ob.databasePath, 'SELECT id FROM destinations WHERE id = ?', `${shopId}:engage`)).toHaveLength(0);

    // Logging out ends the session in the browser: the console asks to log in again.
    await page.click('button:has-text("Log out")');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.goto(`${ob.url}/admin/dead-letters`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    // And on the server: the cookie the browser had, sent again after the logout, opens nothing.
    const after = await fetch(`${ob.url}/admin`, { headers: { cookie: `ob_session=${session.value}` }, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/admin/login?next=%2Fadmin');
  });
});

describe('a custom-app Shopify shop connected and resynced in headless Chromium', () => {
  const SHOP = 'console-browser.myshopify.com';
  const DAY = 86_400_000;
  const NOW = Date.now();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const RANGE = { from: day(NOW - 60 * DAY), to: day(NOW + DAY) };
  let ob: OrderbridgeProcess;
  let sim: RunningShopifySimulator;
  let browser: BrowserContext;
  let page: Page;
  let userData: string;
  const shopId = `shopify:${SHOP}`;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `console-shopify-${name}.png`), fullPage: true });
  const refused: string[] = [];
  const row = (id: number) => page.locator(`#resyncs tr[data-job="${id}"]`);
  const figure = (id: number, name: string) => row(id).locator(`[data-field="${name}"]`).textContent();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    userData = mkdtempSync(join(tmpdir(), 'ob-chromium-'));
    // A few hundred orders over the last 50 days, read at Shopify's own page size; each Admin answer a little late,
    // so the job runs for some seconds and its bar can be watched moving.
    sim = await startShopifySimulator({
      shop: SHOP, accessToken: 'shpat_console_browser', apiSecret: 'console-browser-secret', orders: 300, seed: 21,
      from: new Date(NOW - 50 * DAY).toISOString(), to: new Date(NOW - DAY).toISOString(), bucket: { restoreRate: 50_000 },
    });
    ob = await startOrderbridge({ ADMIN_TOKEN: TOKEN, SHOPIFY_ADMIN_URL: sim.url, DELIVERY_POLL_MS: '20' });
    browser = await chromium.launchPersistentContext(userData, {
      executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'], viewport: { width: 1100, height: 900 },
      userAgent: BROWSER, // @shopify/shopify-api answers a headless browser's own user agent 410
    });
    page = browser.pages()[0] ?? await browser.newPage();
    // The console's Content-Security-Policy lets only each page's own script run: anything it refuses is said here.
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
    page.setDefaultTimeout(8_000);
    await page.goto(`${ob.url}/admin/login`);
    await page.fill('#token', TOKEN);
    await page.click('button:has-text("Log in")');
    await expect(page.locator('h1').textContent()).resolves.toBe('Shops');
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([ob?.stop(), sim?.close()]);
    rmSync(userData, { recursive: true, force: true });
  });

  it('connects the shop with its Admin API token and API secret: a refused token is said in the form, then the shop page', async () => {
    await page.click('text=Connect a custom-app shop');
    await page.fill('#shop', SHOP);
    await page.fill('#accessToken', 'shpat_not_this_shops');
    await page.fill('#apiSecret', 'console-browser-secret');
    await page.click('button:has-text("Connect")');
    await expect(page.locator('.flash.error').textContent()).resolves.toContain('Not connected:');
    await expect(page.locator('#shop').inputValue()).resolves.toBe(SHOP); // kept; the secrets are not
    await expect(page.locator('#accessToken').inputValue()).resolves.toBe('');
    await expect(page.locator('#apiSecret').inputValue()).resolves.toBe('');
    expect(await page.content()).not.toContain('console-browser-secret');
    await shot('1-connect-refused');
    expect(query(ob.databasePath, 'SELECT id FROM shops')).toEqual([]);

    await page.fill('#accessToken', 'shpat_console_browser');
    await page.fill('#apiSecret', 'console-browser-secret');
    await page.click('button:has-text("Connect")');
    await expect(page.locator('h1').textContent()).resolves.toBe(SHOP);
    await expect(page.locator('.flash').textContent()).resolves.toContain(`${SHOPIFY_WEBHOOK_TOPICS.length} webhooks subscribed`);
    expect(sim.subscriptions.filter((w) => w.uri === `${ob.url}/webhooks/shopify`).map((w) => w.topic).sort()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
    await expect(page.locator('#resync-form').count()).resolves.toBe(1);
    await shot('2-shop-connected');
  });

  it('starts a resync from the form and watches its bar move to done without a reload; a second one is cancelled', { timeout: 90_000 }, async () => {
    const ids = sim.orderIds().filter((id) => sim.order(id).createdMs >= Date.parse(`${RANGE.from}T00:00:00Z`));
    expect(ids.length).toBeGreaterThan(200);
    sim.faults.set({ slowRate: 1, slowMs: 150 });
    await page.fill('#resync-from', RANGE.from);
    await page.fill('#resync-to', RANGE.to);
    await page.click('button:has-text("Start resync")');
    await expect(page.locator('.flash').textContent()).resolves.toContain('Resync 1 queued');
    // Marks this document: were the page reloaded, the mark would be gone.
    await page.evaluate(() => { (window as unknown as { stay: number }).stay = 1; });
    const stayed = () => page.evaluate(() => (window as unknown as { stay?: number }).stay === 1);
    await page.waitForFunction(() => {
      const bar = document.querySelector<HTMLProgressElement>('#resyncs tr[data-job="1"] progress');
      return !!bar && bar.hasAttribute('value') && bar.value > 0 && bar.value < bar.max;
    }, undefined, { timeout: 30_000, polling: 100 });
    expect(Number((await figure(1, 'pages'))!.replace(/,/g, ''))).toBeGreaterThan(0);
    await expect(figure(1, 'total')).resolves.toBe(ids.length.toLocaleString('en'));
    await expect(figure(1, 'state')).resolves.toBe('running');
    await shot('3-resync-running');
    await page.waitForFunction(() => document.querySelector('#resyncs tr[data-job="1"]')?.getAttribute('data-state') === 'done', undefined, { timeout: 60_000, polling: 200 });
    expect(await stayed()).toBe(true);
    await expect(figure(1, 'seen')).resolves.toBe(ids.length.toLocaleString('en'));
    await expect(figure(1, 'queued')).resolves.toBe(ids.length.toLocaleString('en'));
    await expect(figure(1, 'failed')).resolves.toBe('0');
    await expect(row(1).locator('progress').evaluate((bar: HTMLProgressElement) => bar.value === bar.max)).resolves.toBe(true);
    await expect(row(1).locator('button:has-text("Cancel")').count()).resolves.toBe(0);
    await shot('4-resync-done');
    expect(refused).toEqual([]);

    // Everything again (force), cancelled from its row while it runs: what it queued stays queued.
    await page.check('input[name="force"]');
    await page.click('button:has-text("Start resync")');
    await expect(page.locator('.flash').textContent()).resolves.toContain('Resync 2 queued');
    await page.waitForFunction(() => Number(document.querySelector('#resyncs tr[data-job="2"] [data-field="seen"]')?.textContent?.replace(/,/g, '')) > 0, undefined, { timeout: 30_000, polling: 100 });
    await row(2).locator('button:has-text("Cancel")').click();
    await expect(page.locator('.flash').textContent()).resolves.toContain('Job 2 cancelled');
    await expect(row(2).getAttribute('data-state')).resolves.toBe('cancelled');
    const [job] = query<{ state: string; seen: number }>(ob.databasePath, 'SELECT state, seen FROM jobs WHERE id = 2');
    expect(job!.state).toBe('cancelled');
    expect(job!.seen).toBeLessThan(ids.length);
    sim.faults.clear();
    await shot('5-resync-cancelled');
    const held = query<{ n: number }>(ob.databasePath, 'SELECT count(*) AS n FROM orders WHERE shop_id = ?', shopId);
    expect(held[0]!.n).toBe(ids.length);
  });
});

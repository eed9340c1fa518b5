// The console in a real Chromium: sign in as each kind of user, the board's tiles and their
// orders, holding and releasing an order from its page, what an associate sees, sign-out;
// axe-core on every page. FULCRUM_SCREENSHOTS=1 writes the docs' screenshots.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, expectAccessible, launchBrowser, newTestContext, UI_WAIT } from '../support/browser.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let browser: Browser;
/** Script errors in any page: a test fails on them. */
const pageErrors: string[] = [];
const keys = {} as Record<'ops' | 'exceptions' | 'associate', string>;

beforeAll(async () => {
  ensureConsoleBuilt();
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  await seedNetwork(client(stack, await stack.key('ops')), { locations: { 'WH-1': locationBody(41.88, -87.64) }, skus: ['LAMP'], stock: [['WH-1', 'LAMP', 50]] });
  keys.ops = await stack.key('ops');
  keys.exceptions = await stack.key('exceptions');
  keys.associate = await stack.key('associate', { locationIds: ['WH-1'] });
}, 120_000);
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await newTestContext(browser, { viewport });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${stack.url}/app/login`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}


async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.FULCRUM_SCREENSHOTS) await page.screenshot({ path: `docs/console/${name}.png`, fullPage: true });
}

describe('the console', () => {
  it('refuses a wrong key in words, and signs an ops user in to the board', async () => {
    const page = await newPage();
    await page.goto(`${stack.url}/app/orders`);
    // Not signed in: the login page.
    await page.getByLabel('API key').fill('fk_not_a_key');
    await expectAccessible(page, 'login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), UI_WAIT).toMatch(/unknown or revoked/);
    await page.getByLabel('API key').fill(keys.ops);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the user was going.
    await page.getByRole('heading', { name: 'Orders' }).waitFor({ timeout: 5000 }).catch(async (e) => { console.log('CONTENT', page.url(), await page.locator('body').innerText()); throw e; });
    await page.getByRole('link', { name: 'Board' }).click();
    for (const label of ['On hold', 'Backordered', 'Needs attention', 'SLA at risk', 'Ready for pickup', 'Pickups expiring today', 'Delivery exceptions', 'Webhook failures']) {
      await expect.poll(() => page.getByRole('link', { name: new RegExp(`^${label} \\d+`) }).count(), UI_WAIT).toBe(1);
    }
    await expectAccessible(page, 'board');
    // The httpOnly cookie is not readable by the page.
    expect(await page.evaluate('document.cookie')).not.toMatch(/fulcrum_session/);
    await page.context().close();
  });

  it('follows a tile to its orders, and the board follows a hold and a release without a reload', async () => {
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('CONSOLE-1', [{ sku: 'LAMP', quantity: 2 }]))).body;
    expect(order.status).toBe('routed');
    const board = await newPage();
    await signIn(board, keys.ops);
    await board.goto(`${stack.url}/app/board`);
    const onHoldTile = board.getByRole('link', { name: /^On hold \d+/ });
    const count = async () => Number((await onHoldTile.locator('.tile-count').textContent()) ?? 'NaN');
    await expect.poll(count, UI_WAIT).toBe(0);

    // An exceptions user holds the order from its page, with a reason, after confirming.
    const desk = await newPage();
    await signIn(desk, keys.exceptions);
    await desk.goto(`${stack.url}/app/orders/${order.id}`);
    await desk.getByRole('heading', { name: /Order CONSOLE-1/ }).waitFor();
    await expectAccessible(desk, 'order');
    await desk.getByRole('button', { name: 'Hold' }).click();
    await desk.getByLabel('Why hold it?').fill('address looks wrong');
    await desk.getByRole('button', { name: 'Confirm: Hold' }).click();
    await expect.poll(() => desk.getByRole('heading', { name: /Order CONSOLE-1/ }).textContent(), UI_WAIT).toMatch(/on hold/);
    await expect.poll(() => desk.getByText('address looks wrong').count(), UI_WAIT).toBeGreaterThan(0);

    // The ops board turns without a reload; its tile opens exactly the held order.
    await expect.poll(count, { timeout: 15_000 }).toBe(1);
    await screenshot(board, 'board');
    await onHoldTile.click();
    await board.getByRole('heading', { name: 'Orders: On hold' }).waitFor();
    await expect.poll(() => board.getByRole('link', { name: 'CONSOLE-1' }).count(), UI_WAIT).toBe(1);
    expect(await board.locator('table.orders tbody tr').count()).toBe(1);
    await expectAccessible(board, 'orders');
    // Ops may look but not act (the API's roles): no Hold or Release for them.
    await board.getByRole('link', { name: 'CONSOLE-1' }).click();
    await board.getByRole('heading', { name: /Order CONSOLE-1/ }).waitFor();
    expect(await board.getByRole('button', { name: 'Release' }).count()).toBe(0);
    expect(await board.getByRole('link', { name: 'Open in Temporal UI' }).getAttribute('href')).toMatch(new RegExp(`/namespaces/default/workflows/order-${order.id}$`));
    // CustomerId in Temporal is a keyed hash: the console links the customer's orders by it, never by the id in clear.
    const customerLink = board.getByRole('link', { name: 'This customer’s orders in Temporal UI' });
    await customerLink.waitFor();
    const customerHref = decodeURIComponent((await customerLink.getAttribute('href')) ?? '');
    expect(customerHref).toMatch(/workflows\?query=CustomerId = 'cus_[\w-]{22}'$/);
    expect(customerHref).not.toContain(`'${order.customer.id}'`);

    await desk.getByRole('button', { name: 'Release' }).click();
    await desk.getByRole('button', { name: 'Confirm: Release' }).click();
    await expect.poll(() => desk.getByRole('heading', { name: /Order CONSOLE-1/ }).textContent(), UI_WAIT).toMatch(/routed/);
    await screenshot(desk, 'order');
    await board.goto(`${stack.url}/app/board`);
    await expect.poll(count, { timeout: 15_000 }).toBe(0);
    // A refusal is shown in the API's words: releasing an order that is not on hold.
    await desk.goto(`${stack.url}/app/orders/${order.id}`);
    await desk.getByRole('button', { name: 'Hold' }).waitFor();
    await eventually(async () => (await web.get(`/v1/orders/${order.id}`)).body.status, (s) => s === 'routed', 'released');
    await board.context().close();
    await desk.context().close();
  });

  it('reroutes a fulfillment and changes the address from the order page, and explains the routing', async () => {
    await client(stack, keys.ops).put('/v1/locations/WH-2', locationBody(40.71, -74.0));
    await client(stack, keys.ops).put('/v1/inventory/WH-2/LAMP', { onHand: 5 });
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('CONSOLE-2', [{ sku: 'LAMP', quantity: 1 }]))).body;
    expect(order.fulfillments[0].locationId).toBe('WH-1');
    const page = await newPage();
    await signIn(page, keys.exceptions);
    await page.goto(`${stack.url}/app/orders/${order.id}`);
    // The explanation: the verdict and the chosen plan marked.
    await page.getByRole('heading', { name: 'Why here' }).waitFor();
    await expect.poll(() => page.getByText('WH-1 (chosen)').count(), UI_WAIT).toBe(1);

    await page.getByRole('button', { name: 'Change address' }).click();
    await page.getByLabel('Country (2 letters)').fill('USA');
    await page.getByRole('button', { name: 'Confirm: Change address' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), UI_WAIT).toMatch(/country/);
    await page.getByLabel('Country (2 letters)').fill('US');
    await page.getByLabel('City', { exact: true }).fill('Evanston');
    await page.getByRole('button', { name: 'Confirm: Change address' }).click();
    await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.shipTo?.city === 'Evanston', 'address changed');

    await page.getByRole('button', { name: 'Reroute' }).click();
    await page.getByLabel('To location (empty: let routing choose)').fill('WH-2');
    await page.getByLabel('Why reroute it?').fill('WH-1 short of staff today');
    await page.getByRole('button', { name: 'Confirm: Reroute' }).click();
    await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.fulfillments.some((f: { locationId: string; status: string }) => f.locationId === 'WH-2' && f.status === 'pending'), 'rerouted to WH-2');
    await expect.poll(() => page.getByText(/at WH-2/).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expectAccessible(page, 'order with explanation');
    await page.context().close();
  });

  it('charts a KPI over time from the timeseries, with its values as a table', async () => {
    const page = await newPage();
    await signIn(page, keys.ops);
    await page.getByRole('link', { name: 'Analytics' }).click();
    const chart = page.getByRole('img', { name: /^Orders, \d+ periods/ });
    await chart.waitFor();
    await page.getByText('Values').click();
    // The orders made in this file so far are counted in today's bucket (the last row).
    const cells = page.locator('.chart tbody tr td:nth-child(2)');
    await expect.poll(async () => Number(await cells.last().textContent()), UI_WAIT).toBeGreaterThan(0);
    await expectAccessible(page, 'analytics');
    await page.getByRole('combobox', { name: 'Metric' }).selectOption('fill_rate');
    await page.getByRole('img', { name: /^Fill rate, / }).waitFor();
    await page.getByRole('combobox', { name: 'Period' }).selectOption('1');
    // Hourly over the last 24 hours: 24 buckets, 25 when the period starts and ends mid-hour.
    await expect.poll(async () => [24, 25].includes(await page.locator('.chart tbody tr').count()), UI_WAIT).toBe(true);
    await page.context().close();
  });

  it('shows a SKU across locations with its ledger, and adjusts stock with a reason once', async () => {
    const page = await newPage();
    await signIn(page, keys.ops);
    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByLabel('SKU').fill('LAMP');
    await page.getByRole('button', { name: 'Show' }).click();
    const row = page.getByRole('row', { name: /^WH-1 / });
    await row.waitFor();
    const onHandBefore = Number(await row.locator('td').nth(1).textContent());
    await row.getByRole('button', { name: 'WH-1' }).click();
    await page.getByRole('heading', { name: 'LAMP at WH-1' }).waitFor();
    await page.getByLabel('Change on hand by').fill('-2');
    await page.getByLabel('Reason').fill('two broken in the aisle');
    await page.getByRole('button', { name: 'Adjust' }).click();
    await expect.poll(async () => Number(await row.locator('td').nth(1).textContent()), UI_WAIT).toBe(onHandBefore - 2);
    await expect.poll(() => page.getByRole('cell', { name: 'two broken in the aisle' }).count(), UI_WAIT).toBe(1);
    // A refusal in words: more than there is.
    await page.getByLabel('Change on hand by').fill(String(-(onHandBefore + 10)));
    await page.getByLabel('Reason').fill('too many');
    await page.getByRole('button', { name: 'Adjust' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), UI_WAIT).toMatch(/negative/);
    await expectAccessible(page, 'inventory');
    const level = (await client(stack, keys.ops).get('/v1/availability?sku=LAMP')).body.items[0].locations.find((l: { locationId: string }) => l.locationId === 'WH-1');
    expect(level.onHand).toBe(onHandBefore - 2);
    await page.context().close();
  });

  it('lets an admin set the board thresholds, shows a channel only its own orders and a carrier nothing', async () => {
    const other = client(stack, await stack.key('channel', { channel: 'marketplace' }));
    await other.post('/v1/orders?wait=routed', shipOrder('MKT-1', [{ sku: 'LAMP', quantity: 1 }], 'marketplace'));
    const admin = await newPage();
    await signIn(admin, stack.adminKey);
    await admin.getByRole('link', { name: 'Settings' }).click();
    await admin.getByLabel('On hold orange from').fill('0');
    await admin.getByLabel('On hold red from').fill('0');
    await admin.getByLabel('Backordered red from').fill('1');
    await admin.getByLabel('Backordered orange from').fill('3');
    await admin.getByRole('button', { name: 'Save thresholds' }).click();
    await expect.poll(() => admin.getByRole('alert').textContent(), UI_WAIT).toMatch(/backordered.*critical/);
    await admin.getByLabel('Backordered orange from').fill('1');
    await admin.getByRole('button', { name: 'Save thresholds' }).click();
    await admin.getByRole('status').waitFor();
    expect((await client(stack, keys.ops).get('/v1/board')).body.tiles.find((t: { id: string }) => t.id === 'backordered')).toMatchObject({ warning: 1, critical: 1 });
    await expectAccessible(admin, 'settings');
    await admin.context().close();

    const carrier = await newPage();
    await signIn(carrier, await stack.key('carrier', { carrier: 'ParcelCo' }));
    await carrier.getByRole('heading', { name: 'Nothing to do here for a carrier key' }).waitFor();
    expect(await carrier.getByRole('link', { name: 'Orders', exact: true }).count()).toBe(0);
    await expectAccessible(carrier, 'carrier');
    await carrier.context().close();

    const channel = await newPage();
    await signIn(channel, await stack.key('channel', { channel: 'web' }));
    await channel.getByRole('heading', { name: 'Orders' }).waitFor();
    expect(await channel.getByRole('link', { name: 'Board' }).count()).toBe(0);
    await expect.poll(() => channel.getByRole('link', { name: 'CONSOLE-1' }).count(), UI_WAIT).toBe(1);
    expect(await channel.getByRole('link', { name: 'MKT-1' }).count()).toBe(0);
    await channel.context().close();
  });

  it('edits a customer message in German, previews it in a frame that runs nothing, and saves it as a new version', async () => {
    const page = await newPage();
    await signIn(page, keys.ops);
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.getByRole('combobox', { name: 'Message' }).selectOption('shipped');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
    await expect.poll(() => page.getByLabel('Subject').inputValue(), UI_WAIT).toBe('Ihre Bestellung {{orderNumber}} ist unterwegs');
    await page.getByLabel('Subject').fill('Unterwegs: {{orderNumber}} mit {{carrier}}');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Preview: Unterwegs: WEB-10042 mit ParcelCo' }).waitFor({ timeout: UI_WAIT.timeout });
    expect(await page.getByTitle('HTML preview').getAttribute('sandbox')).toBe('');
    await page.getByLabel('HTML').fill('<p>{{#lines}}</p>');
    await page.getByRole('button', { name: 'Save template' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), UI_WAIT).toMatch(/html/);
    await page.getByLabel('HTML').fill('<p>Unterwegs, {{customerName}}</p>');
    await page.getByRole('button', { name: 'Save template' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), UI_WAIT).toContain('Saved as version 1');
    expect((await client(stack, keys.ops).get('/v1/message-templates/shipped/de')).body).toMatchObject({ version: 1, subject: 'Unterwegs: {{orderNumber}} mit {{carrier}}' });
    await expectAccessible(page, 'messages');
    await page.context().close();
  }, 120_000);

  it('renders the API reference offline: Scalar from node_modules, nothing fetched from elsewhere, no policy violation', async () => {
    const page = await newPage();
    const elsewhere: string[] = [];
    const violations: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== new URL(stack.url).origin) elsewhere.push(r.url());
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${stack.url}/docs`);
    await page.getByRole('heading', { name: 'Fulcrum API' }).waitFor({ timeout: 20_000 });
    await page.locator('.sidebar, nav, aside').getByText('Orders', { exact: true }).first().click();
    await expect.poll(() => page.getByText('Submit an order').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(elsewhere).toEqual([]);
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('shows an associate only what its key may see, on a phone-sized screen, and signs out', async () => {
    const page = await newPage({ width: 375, height: 667 });
    await signIn(page, keys.associate);
    // An associate lands on its location's queue and sees no board.
    await page.getByRole('heading', { name: 'Queue at WH-1' }).waitFor();
    expect(await page.getByRole('link', { name: 'Board' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    await expectAccessible(page, 'associate orders');
    await page.goto(`${stack.url}/app/board`);
    await expect.poll(() => page.getByRole('alert').textContent(), UI_WAIT).toMatch(/may not/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    // Signed out for real: the old session no longer opens anything.
    await page.goto(`${stack.url}/app/orders`);
    await page.getByLabel('API key').waitFor();
    await page.context().close();
  });
});

// The store and warehouse floor in a real Chromium, as an associate on a 375×667 screen with a
// keyboard-wedge scanner (typed code + Enter): the queue, scan to pick with a wrong scan refused
// in the API's words, pack with a package size, the label PDF, hand off; a pickup readied and
// collected with the customer's code (a wrong code refused). axe-core on every page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, expectAccessible, launchBrowser, newTestContext, UI_WAIT } from '../support/browser.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, pickupOrder, seedNetwork, shipOrder, storeCaps } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack, carrierClient } from '../support/stack.ts';

let stack: TestStack;
let browser: Browser;
let web: ReturnType<typeof client>;
const pageErrors: string[] = [];

beforeAll(async () => {
  ensureConsoleBuilt();
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  await seedNetwork(client(stack, await stack.key('ops')), {
    locations: { 'WH-1': locationBody(41.88, -87.64), 'ST-1': locationBody(41.9, -87.7, { type: 'store', capabilities: { ...storeCaps, ship: false, sameDay: false } }) },
    skus: ['LAMP'],
    stock: [['WH-1', 'LAMP', 50], ['ST-1', 'LAMP', 10]],
  });
  web = client(stack, await stack.key('channel', { channel: 'web' }));
}, 120_000);
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function associatePage(locationId: string, options: { barcodeDetector?: string } = {}): Promise<Page> {
  const key = await stack.key('associate', { locationIds: [locationId] });
  const context = await newTestContext(browser, { viewport: { width: 375, height: 667 }, permissions: ['camera'] });
  // Linux Chromium has no BarcodeDetector: a stand-in that "sees" one code in the (fake) camera
  // picture, once it is playing, exercises the console's camera path end to end.
  if (options.barcodeDetector) {
    await context.addInitScript((code: string) => {
      (globalThis as unknown as Record<string, unknown>).BarcodeDetector = class {
        async detect(video: { readyState: number; videoWidth: number }) {
          return video.readyState >= 2 && video.videoWidth > 0 ? [{ rawValue: code }] : [];
        }
      };
    }, options.barcodeDetector);
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${stack.url}/app/login`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: `Queue at ${locationId}` }).waitFor();
  return page;
}


async function scan(page: Page, barcode: string): Promise<void> {
  await page.getByLabel('Scan barcode').fill(barcode);
  await page.getByLabel('Scan barcode').press('Enter');
}

describe('the floor', () => {
  it('picks by scanning (a wrong scan refused), packs, prints the label and hands off a shipment', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FLOOR-1', [{ sku: 'LAMP', quantity: 2 }]))).body;
    const fulfillmentId: string = order.fulfillments[0].id;
    expect(order.fulfillments[0].locationId).toBe('WH-1');
    const page = await associatePage('WH-1');
    await expectAccessible(page, 'queue');
    await page.getByRole('link', { name: /Ship · 2 units/ }).click();
    await page.getByRole('heading', { name: new RegExp(`Shipment ${fulfillmentId}`) }).waitFor();
    const picked = page.getByLabel('LAMP picked');
    await expect.poll(() => picked.textContent(), UI_WAIT).toBe('0 of 2');

    await scan(page, 'NOT-OURS-42');
    await expect.poll(() => page.getByRole('alert').textContent(), UI_WAIT).toMatch(/NOT-OURS-42/);
    await expect.poll(() => picked.textContent(), UI_WAIT).toBe('0 of 2');
    await scan(page, 'LAMP');
    await expect.poll(() => picked.textContent(), UI_WAIT).toBe('1 of 2');
    // The field is cleared and keeps the focus for the next scan.
    expect(await page.getByLabel('Scan barcode').inputValue()).toBe('');
    expect(await page.evaluate('document.activeElement?.id')).toBe('scan');
    await expectAccessible(page, 'pick');
    if (process.env.FULCRUM_SCREENSHOTS) await page.screenshot({ path: 'docs/console/pick.png', fullPage: true });
    await scan(page, 'LAMP');
    await expect.poll(() => picked.textContent(), UI_WAIT).toBe('2 of 2');
    await expectAccessible(page, 'pack');

    await page.getByLabel('Package size').selectOption('medium');
    await page.getByLabel('Weight (grams)').fill('1200');
    await page.getByRole('button', { name: 'Pack' }).click();
    const label = page.getByRole('link', { name: 'Print label' });
    await label.waitFor();
    const pdf = await page.request.get(new URL((await label.getAttribute('href'))!, stack.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByRole('button', { name: 'Hand off' }).click();
    await expect.poll(() => page.getByRole('heading', { name: /Shipment/ }).textContent(), UI_WAIT).toMatch(/shipped/);
    const shipped = (await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'shipped' || r.body.status === 'completed', 'order shipped')).body;
    await page.context().close();

    // Ops follow the tracking from the order's page; the carrier's event shows there.
    const { carrier, trackingNumber } = shipped.fulfillments[0];
    const carrierKey = carrierClient(stack);
    expect((await carrierKey.post(`/v1/carriers/${carrier}/events`, { trackingNumber, status: 'in_transit', at: new Date().toISOString() })).status).toBe(202);
    const ops = await (await newTestContext(browser)).newPage();
    await ops.goto(`${stack.url}/app/login`);
    await ops.getByLabel('API key').fill(await stack.key('ops'));
    await ops.getByRole('button', { name: 'Sign in' }).click();
    await ops.getByRole('button', { name: 'Sign out' }).waitFor();
    await ops.goto(`${stack.url}/app/orders/${order.id}`);
    await ops.getByRole('link', { name: `Tracking ${trackingNumber}` }).click();
    await expect.poll(() => ops.getByText(/last carrier event/).textContent(), { timeout: 15_000 }).toMatch(/in transit/);
    await ops.context().close();
  });

  it('builds a pick list of two orders and works it with one scan field, then packs each on its own', async () => {
    const a = (await web.post('/v1/orders?wait=routed', shipOrder('FLOOR-3', [{ sku: 'LAMP', quantity: 1 }]))).body;
    const b = (await web.post('/v1/orders?wait=routed', shipOrder('FLOOR-4', [{ sku: 'LAMP', quantity: 2 }]))).body;
    const page = await associatePage('WH-1');
    await page.getByRole('link', { name: 'Batch pick several orders' }).click();
    await page.getByLabel('Up to this many orders').fill('2');
    await page.getByRole('button', { name: 'Start a pick list' }).click();
    await page.getByRole('heading', { name: /Pick list pkl_/ }).waitFor();
    const walk = page.getByLabel('LAMP picked');
    await expect.poll(() => walk.textContent(), UI_WAIT).toBe('0 of 3');
    await expectAccessible(page, 'pick list');
    await scan(page, 'SPOON');
    await expect.poll(() => page.getByRole('alert').textContent(), UI_WAIT).toMatch(/SPOON matches no line/);
    for (const expected of ['1 of 3', '2 of 3', '3 of 3']) {
      await scan(page, 'LAMP');
      await expect.poll(() => walk.textContent(), UI_WAIT).toBe(expected);
    }
    // Shared in queue order: the first order got one, the second two; each packs on its own.
    const lines = async (id: string) => (await client(stack, await stack.key('ops')).get(`/v1/fulfillments/${id}`)).body.lines[0].picked;
    expect(await lines(a.fulfillments[0].id)).toBe(1);
    expect(await lines(b.fulfillments[0].id)).toBe(2);
    await page.getByRole('link', { name: new RegExp(a.fulfillments[0].id) }).click();
    await page.getByRole('button', { name: 'Pack' }).click();
    await page.getByRole('link', { name: 'Print label' }).waitFor();
    await page.context().close();
  });

  it('puts a curbside customer who says they are here at the top of the queue', async () => {
    const order = (await web.post('/v1/orders?wait=routed', pickupOrder('FLOOR-5', 'ST-1', [{ sku: 'LAMP', quantity: 1 }], 'curbside'))).body;
    const page = await associatePage('ST-1');
    await page.getByRole('link', { name: /Curbside · 1 units/ }).click();
    await page.getByLabel('Parking spot (optional)').fill('4');
    await page.getByRole('button', { name: 'Customer is here' }).click();
    await expect.poll(() => page.getByText(/Customer outside since/).count(), UI_WAIT).toBe(1);
    await page.getByRole('link', { name: 'Queue ST-1' }).click();
    await expect.poll(() => page.locator('.queue li').first().textContent(), UI_WAIT).toMatch(/customer outside \(spot 4\)/);
    expect(order.fulfillments[0].locationId).toBe('ST-1');
    await page.context().close();
  });

  it('scans with the camera where the browser reads barcodes, and offers no camera where it does not', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FLOOR-6', [{ sku: 'LAMP', quantity: 1 }]))).body;
    const plain = await associatePage('WH-1');
    await plain.goto(`${stack.url}/app/fulfillments/${order.fulfillments[0].id}`);
    await plain.getByLabel('Scan barcode').waitFor();
    expect(await plain.getByRole('button', { name: 'Scan with camera' }).count()).toBe(0);
    await plain.context().close();

    const page = await associatePage('WH-1', { barcodeDetector: 'LAMP' });
    await page.goto(`${stack.url}/app/fulfillments/${order.fulfillments[0].id}`);
    await page.getByRole('button', { name: 'Scan with camera' }).click();
    await expect.poll(() => page.getByLabel('LAMP picked').textContent(), { timeout: 15_000 }).toBe('1 of 1');
    // The camera stops once it has read a code.
    expect(await page.getByLabel('Camera picture').count()).toBe(0);
    await page.context().close();
  });

  it('readies a pickup and collects it with the customer’s code, refusing a wrong one', async () => {
    const order = (await web.post('/v1/orders?wait=routed', pickupOrder('FLOOR-2', 'ST-1', [{ sku: 'LAMP', quantity: 1 }]))).body;
    expect(order.fulfillments[0].locationId).toBe('ST-1');
    const page = await associatePage('ST-1');
    await page.getByRole('link', { name: /Pickup · 1 units/ }).click();
    await scan(page, 'LAMP');
    await page.getByRole('button', { name: 'Ready' }).click();
    await page.getByLabel('Pickup code').waitFor();
    const code: string = (await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.fulfillments[0].pickupCode !== undefined, 'pickup code')).body.fulfillments[0].pickupCode;
    await page.getByLabel('Pickup code').fill('000000' === code ? '111111' : '000000');
    await page.getByRole('button', { name: 'Collect' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), UI_WAIT).toMatch(/4 tries left/);
    await expectAccessible(page, 'collect');
    await page.getByLabel('Pickup code').fill(code);
    await page.getByRole('button', { name: 'Collect' }).click();
    await expect.poll(() => page.getByRole('heading', { name: /Pickup/ }).textContent(), UI_WAIT).toMatch(/picked up/);
    await page.context().close();
  });
});

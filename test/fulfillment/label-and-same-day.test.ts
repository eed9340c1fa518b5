// The shipping label read back (a 4×6 inch PDF whose tracking number is text and a Code 128
// barcode) and same-day orders whose location missed the courier's cut-off.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as ZplRenderer from 'zpl-renderer-js';
import { code128Modules } from '../../activities/fulfillment/label-pdf.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { client } from '../support/stack.ts';
import { PARCEL, SHOE_GTIN, setUpShipNetwork } from './ship-network.ts';

let t: Awaited<ReturnType<typeof setUpShipNetwork>>;
beforeAll(async () => {
  t = await setUpShipNetwork();
});
afterAll(async () => t?.stack.close());
afterEach(async () => expectInventoryConsistent(t.stack.db));

function rectanglesOf(pdf: Buffer): { x: number; y: number; w: number; h: number }[] {
  const rects: { x: number; y: number; w: number; h: number }[] = [];
  const text = pdf.toString('latin1');
  // Each stream is exactly /Length bytes after its `stream` line: compressed data may itself end
  // in a CR or LF, so finding `endstream` would sometimes cut a byte off.
  const streams = /\/Length (\d+)[^>]*>>\s*stream\r?\n/g;
  for (let match = streams.exec(text); match; match = streams.exec(text)) {
    const start = match.index + match[0].length;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, start + Number(match[1]))).toString('latin1');
    } catch {
      continue;
    }
    for (const r of content.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g)) {
      rects.push({ x: Number(r[1]), y: Number(r[2]), w: Number(r[3]), h: Number(r[4]) });
    }
  }
  return rects;
}

describe('the shipping label', () => {
  it('is a 4×6 inch PDF that carries the tracking number as text and as a Code 128 barcode', async () => {
    const order = (await t.web.post('/v1/orders?wait=routed', shipOrder('FF-LABEL', [{ sku: 'SHOE', quantity: 1 }]))).body;
    const id = order.fulfillments[0].id;
    await t.fulfillment(id);
    expect((await t.associate.get(`/v1/fulfillments/${id}/label`)).status).toBe(404);
    await t.associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: SHOE_GTIN, quantity: 1 }] });
    const packed = (await t.associate.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] })).body;

    const res = await fetch(`${t.stack.url}/v1/fulfillments/${id}/label`, { headers: { authorization: `Bearer ${await t.stack.key('associate', { locationIds: ['WH-SHOES'] })}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());

    const document = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: `${dirname(fileURLToPath(import.meta.resolve('pdfjs-dist/package.json')))}/standard_fonts/` }).promise;
    expect(document.numPages).toBe(1);
    const page = await document.getPage(1);
    const { width, height } = page.getViewport({ scale: 1 });
    expect([width, height]).toEqual([288, 432]);
    const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
    expect(text).toContain(packed.trackingNumber);
    expect(text).toContain('233 S Wacker Dr');
    expect(text).toContain(packed.carrier.toUpperCase());

    // The bars, read back from the drawing, are the Code 128 symbol of the tracking number,
    // every bar and space a whole number of 203 dpi printer dots.
    const dot = 72 / 203;
    const bars = rectanglesOf(pdf).filter((r) => Math.abs(Math.abs(r.h) - 190 * dot) < 0.01).sort((a, b) => a.x - b.x);
    const module = Math.min(...bars.map((b) => b.w));
    const offGrid = bars.flatMap((b) => [b.x / dot, b.w / dot]).filter((dots) => Math.abs(dots - Math.round(dots)) > 0.01);
    expect(offGrid).toEqual([]);
    expect(module / dot).toBeCloseTo(Math.round(module / dot), 5);
    const widths: number[] = [];
    bars.forEach((bar, i) => {
      if (i > 0) widths.push(Math.round((bar.x - (bars[i - 1]!.x + bars[i - 1]!.w)) / module));
      widths.push(Math.round(bar.w / module));
    });
    expect(widths).toEqual(code128Modules(packed.trackingNumber));
    // Code 128: 11 modules per symbol character, 13 for the stop pattern.
    expect((widths.reduce((s, w) => s + w, 0) - 13) % 11).toBe(0);
  });
});

/** A Debian tool the label tests read labels back with (the bootstrap installs it as root). */
function tool(command: string, args: string[], pkg: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${command} is missing: install Debian's ${pkg} (npm test's bootstrap does so when run as root)`);
    throw err;
  }
}

describe('labels for everyone and every printer', () => {
  it("print a Cyrillic name that pdftotext reads back, the full ship-from address and one label per package, and as ZPL whose barcodes scan", async () => {
    const address = { name: 'Fulcrum Outdoor — Loop', line1: '1 N State St', city: 'Chicago', region: 'IL', postalCode: '60602', country: 'US' };
    const put = await t.ops.put('/v1/locations/WH-SHOES', { ...locationBody(41.88, -87.64, { handlingCost: { amount: 150, currency: 'USD' } }), address });
    expect(put.status, put.text).toBe(200);
    const body = shipOrder('FF-LABEL-RU', [{ sku: 'SHOE', quantity: 2 }]);
    body.fulfillment.shipTo = { ...body.fulfillment.shipTo, name: 'Анна Каренина', line1: '233 S Wacker Dr — 東京' } as typeof body.fulfillment.shipTo;
    const order = (await t.web.post('/v1/orders?wait=routed', body)).body;
    const id = order.fulfillments[0].id;
    expect(order.fulfillments[0].locationId).toBe('WH-SHOES');
    await t.fulfillment(id);
    await t.associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: SHOE_GTIN, quantity: 2 }] });
    const packed = (await t.associate.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL, { ...PARCEL, weightGrams: 800 }] })).body;
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-label-'));

    const pdf = await fetch(`${t.stack.url}/v1/fulfillments/${id}/label`, { headers: { authorization: `Bearer ${await t.stack.key('ops')}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    writeFileSync(join(dir, 'label.pdf'), Buffer.from(await pdf.arrayBuffer()));
    const pages = tool('pdftotext', ['-layout', join(dir, 'label.pdf'), '-'], 'poppler-utils').split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(2);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain('Анна Каренина');
      expect(page).toContain('233 S Wacker Dr — 東京');
      for (const line of ['Fulcrum Outdoor — Loop', '1 N State St', 'Chicago, IL 60602']) expect(page).toContain(line);
      expect(page).toContain(packed.trackingNumber);
      expect(page).toContain(`PACKAGE ${i + 1} OF 2 - ${i === 0 ? '1.20' : '0.80'} KG`);
    }

    const zpl = await t.associate.get(`/v1/fulfillments/${id}/label?format=zpl`);
    expect(zpl.status).toBe(200);
    expect(zpl.headers.get('content-type')).toMatch(/^application\/zpl/);
    const formats = zpl.text.match(/\^XA[\s\S]*?\^XZ/g) ?? [];
    expect(formats).toHaveLength(2);
    // The Cyrillic and CJK lines are graphics (a printer's own fonts are Latin only); the rest is printer text.
    expect(zpl.text).toContain('^GFA,');
    expect(zpl.text).toMatch(/\^BY[1-3]\^BCN,190,N,N,N,A/);
    // zebrash (Go, as WebAssembly), a ZPL renderer independent of ours; loaded by Node itself.
    const { api } = await (createRequire(import.meta.url)('zpl-renderer-js') as typeof ZplRenderer).ready;
    const images = await api.zplToBase64MultipleAsync(zpl.text, 101.6, 152.4, 8);
    expect(images).toHaveLength(2);
    for (const [i, image] of images.entries()) {
      writeFileSync(join(dir, `label-${i}.png`), Buffer.from(image, 'base64'));
      expect(tool('zbarimg', ['--quiet', '--raw', join(dir, `label-${i}.png`)], 'zbar-tools').trim()).toBe(packed.trackingNumber);
    }
    expect((await t.associate.get(`/v1/fulfillments/${id}/label?format=png`)).status).toBe(422);
  });
});

/** A fixed-offset zone whose local hour now lies in [from, to]: lets a test put a location before or after a cut-off. */
function zoneWithLocalHour(from: number, to: number): string {
  for (let offset = -12; offset <= 14; offset++) {
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    if (hour >= from && hour <= to) return zone;
  }
  throw new Error(`no zone has a local hour in ${from}-${to}`);
}

describe('same day', () => {
  it('re-routes or downgrades a same-day fulfillment whose location missed the courier cut-off, as the profile says', async () => {
    const before = zoneWithLocalHour(8, 11);
    const after = zoneWithLocalHour(16, 21);
    const darkStore = (lat: number, lon: number, timezone: string) =>
      locationBody(lat, lon, { type: 'dark_store', timezone, capabilities: { ship: true, pickup: false, curbside: false, sameDay: true, returns: false } });
    await seedNetwork(t.ops, {
      locations: { 'DS-NEAR': darkStore(41.88, -87.637, before), 'DS-SECOND': darkStore(41.92, -87.66, before) },
      skus: ['BOOT'],
      stock: [
        ['DS-NEAR', 'BOOT', 5],
        ['DS-SECOND', 'BOOT', 5],
      ],
    });
    const profile = await t.ops.put('/v1/routing-profiles/web-same-day', { name: 'Web same day', appliesTo: { channels: ['web'], serviceLevels: ['same_day'] }, sameDayMissedCutoff: 'reroute' });
    expect(profile.status, profile.text).toBe(200);
    const sameDay = (id: string, channel: string) => ({ ...shipOrder(id, [{ sku: 'BOOT', quantity: 1 }], channel), serviceLevel: 'same_day', fulfillment: { ...shipOrder(id, []).fulfillment, method: 'same_day' } });

    const order = (await t.web.post('/v1/orders?wait=routed', sameDay('FF-SD-1', 'web'))).body;
    expect(order.fulfillments[0]).toMatchObject({ locationId: 'DS-NEAR', carrier: 'CityCourier' });
    const id = order.fulfillments[0].id;
    await t.fulfillment(id);
    await t.ops.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'BOOT', quantity: 1 }] });
    // The afternoon goes by at DS-NEAR: its local clock is now past the courier's 14:00 cut-off.
    expect((await t.ops.put('/v1/locations/DS-NEAR', darkStore(41.88, -87.637, after))).status).toBe(200);
    const missed = await t.ops.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] });
    expect(missed.status, missed.text).toBe(200);
    expect(missed.body.status).toBe('cancelled');
    const rerouted = await t.orderWhen(order.id, (o) => o.events.some((e: { type: string }) => e.type === 'order.rerouted'), 're-routed');
    expect(rerouted.fulfillments.map((f: { locationId: string; status: string }) => [f.locationId, f.status])).toEqual([
      ['DS-NEAR', 'cancelled'],
      ['DS-SECOND', 'pending'],
    ]);

    // Another channel, no such profile: the built-in one downgrades to the fastest next service.
    const app = client(t.stack, await t.stack.key('channel', { channel: 'app' }));
    const second = (await app.post('/v1/orders?wait=routed', sameDay('FF-SD-2', 'app'))).body;
    expect(second.fulfillments[0].locationId).toBe('DS-SECOND');
    const secondId = second.fulfillments[0].id;
    await t.fulfillment(secondId);
    await t.ops.post(`/v1/fulfillments/${secondId}/pick`, { scans: [{ barcode: 'BOOT', quantity: 1 }] });
    expect((await t.ops.put('/v1/locations/DS-SECOND', darkStore(41.92, -87.66, after))).status).toBe(200);
    const downgraded = await t.ops.post(`/v1/fulfillments/${secondId}/pack`, { packages: [PARCEL] });
    expect(downgraded.body).toMatchObject({ status: 'packed', service: 'express' });
    expect(downgraded.body.events.at(-1).detail).toMatchObject({ downgradedFrom: 'same_day' });
  });
});

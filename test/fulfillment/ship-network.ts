// The ship network both fulfillment test files work on: four warehouses (two near, a spare,
// one far), shoes with a GTIN, socks and hats; clients per role and the helpers that read and
// ship a fulfillment over HTTP.
import { expect } from 'vitest';
import { withCheckDigit } from '../../domain/gtin.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork } from '../support/fixtures.ts';
import { client, startTestStack, carrierClient } from '../support/stack.ts';

export const SHOE_GTIN = withCheckDigit('0001234567890');
export const PARCEL = { weightGrams: 1200, lengthCm: 30, widthCm: 20, heightCm: 12 };

export async function setUpShipNetwork() {
  const stack = await startTestStack();
  const ops = client(stack, await stack.key('ops'));
  const web = client(stack, await stack.key('channel', { channel: 'web' }));
  const exceptions = client(stack, await stack.key('exceptions'));
  const carrier = carrierClient(stack);
  const associate = client(stack, await stack.key('associate', { locationIds: ['WH-SHOES', 'WH-SOCKS', 'WH-FAR', 'WH-SPARE'] }));
  const shoesOnly = client(stack, await stack.key('associate', { locationIds: ['WH-SHOES'] }));
  const handling = (amount: number) => ({ handlingCost: { amount, currency: 'USD' } });
  await seedNetwork(ops, {
    locations: {
      'WH-SHOES': locationBody(41.88, -87.64, handling(150)),
      'WH-SOCKS': locationBody(41.9, -87.7, handling(150)),
      'WH-SPARE': locationBody(41.95, -87.75, handling(400)),
      'WH-FAR': locationBody(33.75, -84.39, handling(1500)),
    },
    skus: ['SHOE', 'SOCK', 'HAT'],
    stock: [
      ['WH-SHOES', 'SHOE', 20],
      ['WH-SOCKS', 'SOCK', 20],
      ['WH-SPARE', 'HAT', 20],
      ['WH-FAR', 'SHOE', 20],
      ['WH-FAR', 'SOCK', 20],
      ['WH-FAR', 'HAT', 20],
    ],
  });
  expect((await ops.put('/v1/skus/SHOE', { name: 'Shoe', gtin: SHOE_GTIN, weightGrams: 900 })).status).toBe(200);

  async function fulfillment(id: string) {
    return (await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.status === 200, `fulfillment ${id}`)).body;
  }
  async function orderWhen(id: string, until: (order: any) => boolean, what: string) {
    return (await eventually(() => web.get(`/v1/orders/${id}`), (r) => r.status === 200 && until(r.body), what)).body;
  }
  async function onHand(locationId: string, sku: string): Promise<number> {
    const res = await ops.get(`/v1/availability?sku=${sku}&locationId=${locationId}`);
    return res.body.items[0].locations.find((l: { locationId: string }) => l.locationId === locationId)?.onHand ?? 0;
  }
  /** Picks every unit by SKU, packs one parcel, hands off. */
  async function shipIt(id: string) {
    const f = await fulfillment(id);
    const scans = f.lines
      .map((l: { sku: string; quantity: number; picked: number; short: number }) => ({ barcode: l.sku, quantity: l.quantity - l.picked - l.short }))
      .filter((s: { quantity: number }) => s.quantity > 0);
    if (scans.length > 0) {
      const pick = await associate.post(`/v1/fulfillments/${id}/pick`, { scans });
      expect(pick.status, pick.text).toBe(200);
    }
    const packed = await associate.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] });
    expect(packed.status, packed.text).toBe(200);
    const shipped = await associate.post(`/v1/fulfillments/${id}/handoff`, {});
    expect(shipped.status, shipped.text).toBe(200);
    return shipped.body;
  }
  return { stack, ops, web, exceptions, carrier, associate, shoesOnly, fulfillment, orderWhen, onHand, shipIt };
}

// A valid request for every endpoint that takes a body, path or query string: the starting
// point that tests mutate one field at a time (control characters, fuzzing), so that a
// refusal can only come from the field they broke.
import { shipOrder } from './fixtures.ts';

const address = { line1: '233 S Wacker Dr', line2: 'Suite 1', name: 'Ada', city: 'Chicago', region: 'IL', postalCode: '60606', country: 'US' };

export const exampleBodies: Record<string, unknown> = {
  'POST /v1/markets/{id}/rate-cards/refresh': {},
  'PUT /v1/message-templates/{event}/{language}': { subject: 'Your order {{orderNumber}} is on its way', text: 'Hello {{customerName}}, tracking {{trackingNumber}}', html: '<p>Hello {{customerName}}</p>' },
  'POST /v1/message-templates/{event}/{language}/preview': { template: { subject: 'Order {{orderNumber}}', text: 'Hello {{customerName}}', html: '<p>Hello</p>' } },
  'PUT /v1/message-settings/{channel}': { from: 'Shop <orders@example.com>', replyTo: 'help@example.com', optOut: ['shipped'] },
  'PUT /v1/locations/{id}': { name: 'Loop store', type: 'store', geo: { lat: 41.88, lon: -87.63 }, timezone: 'America/Chicago', active: true, capabilities: { ship: true, pickup: true, curbside: true, sameDay: true, returns: true } },
  'PUT /v1/skus/{sku}': { name: 'Tent', gtin: '4006381333931', weightGrams: 500 },
  'PUT /v1/inventory/{locationId}/{sku}': { onHand: 5 },
  'PUT /v1/channels/{channel}/allocation': { locationIds: ['WH-1'], sharePercent: 50 },
  'PUT /v1/channel-sync/{channel}': { source: 'medusa', pendingOrders: 2, refusedOrders: 0, oldestPendingAt: '2026-01-01T00:00:00Z', inventorySyncedAt: '2026-01-01T00:00:00Z' },
  'POST /v1/demand-history': { items: [{ sku: 'SKU-1', locationId: 'WH-1', channel: 'web', date: '2026-11-02', quantity: 3 }] },
  'POST /v1/forecasts/recompute': { sku: 'SKU-1', locationId: 'WH-1', channel: 'web' },
  'PUT /v1/replenishment/policies/{locationId}': { sku: 'SKU-1', serviceLevel: 0.95, serviceMeasure: 'cycle', leadTimeDays: 2, reviewPeriodDays: 7, sourceLocationId: 'WH-2', supplier: 'Acme', minQuantity: 10, multiple: 6, autoApprove: false },
  'POST /v1/inventory/adjustments': { locationId: 'WH-1', sku: 'SKU-1', delta: 1, reason: 'found one' },
  'POST /v1/inventory/quarantine': { locationId: 'WH-1', sku: 'SKU-1', quantity: 1, reason: 'dented', action: 'quarantine' },
  'POST /v1/inventory/feeds': { source: 'erp', asOf: '2026-01-02T03:04:05Z', items: [{ locationId: 'WH-1', sku: 'SKU-1', onHand: 3 }] },
  'POST /v1/feed-watermarks/reset': { locationId: 'WH-1', sku: 'SKU-1', after: '2026-01-02T03:04:05Z' },
  'POST /v1/transfers': { fromLocationId: 'WH-1', toLocationId: 'WH-2', lines: [{ sku: 'SKU-1', quantity: 1 }], expectedAt: '2026-01-02T03:04:05Z' },
  'POST /v1/transfers/{id}/cancel': { reason: 'not needed' },
  'POST /v1/transfers/{id}/pick': { scans: [{ barcode: 'SKU-1', quantity: 1 }], shortages: [{ sku: 'SKU-1', quantity: 1 }] },
  'POST /v1/transfers/{id}/ship': { carrier: 'ups', trackingNumber: '1Z999' },
  'POST /v1/transfers/{id}/receive': { lines: [{ sku: 'SKU-1', quantity: 1 }] },
  'POST /v1/orders': shipOrder('EX-TEXT', [{ sku: 'SKU-1', quantity: 1 }]),
  'POST /v1/orders/{id}/hold': { reason: 'fraud review' },
  'POST /v1/orders/{id}/release': { reason: 'cleared' },
  'POST /v1/orders/{id}/cancel': { reason: 'customer asked', lines: [{ lineId: '1', quantity: 1 }] },
  'POST /v1/orders/{id}/reroute': { fulfillmentId: 'ful_abc', toLocationId: 'WH-2', excludeLocationIds: ['WH-3'], reason: 'closing early' },
  'POST /v1/orders/{id}/address': { shipTo: address },
  'POST /v1/orders/{id}/fulfillment-method': { method: 'ship', shipTo: address, serviceLevel: 'express', reason: 'customer cannot come to the store' },
  'PUT /v1/routing-profiles/{id}': { name: 'Fastest', appliesTo: { channels: ['web'] } },
  'PUT /v1/markets/{id}': {
    name: 'Germany',
    countries: ['DE'],
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    channels: ['web-de'],
    carrierServices: [{ carrier: 'PaketPost', service: 'paket', level: 'standard', currency: 'EUR', cutoffHour: 18, zones: [{ maxKm: 900, transitDays: 2, rates: [{ maxGrams: 5000, amount: 599 }] }] }],
    returnPolicy: { windowDays: 30 },
    language: 'de',
    dataRegion: 'eu-central',
  },
  'POST /v1/promises': {
    channel: 'web',
    destination: { ...address, geo: { lat: 41.88, lon: -87.63 } },
    pickupNear: { lat: 41.88, lon: -87.63 },
    lines: [{ sku: 'SKU-1', quantity: 1 }],
    serviceLevels: ['standard'],
    segment: 'vip',
    orderValue: { amount: 4_500, currency: 'USD' },
    hold: { minutes: 5, optionId: 'ship:standard' },
  },
  'PUT /v1/routing-rules': { rules: [{ when: { segment: 'vip', orderValueAtLeast: { amount: 50_000, currency: 'USD' }, channels: ['web'], serviceLevels: ['standard'] }, profileId: 'fastest' }] },
  'POST /v1/fulfillments/{id}/pick': { scans: [{ barcode: 'SKU-1', quantity: 1 }], shortages: [{ lineId: '1', quantity: 1 }] },
  'POST /v1/locations/{id}/pick-lists': { fulfillmentIds: ['ful_1'] },
  'POST /v1/pick-lists/{id}/scans': { scans: [{ barcode: 'SKU-1', quantity: 1 }] },
  'POST /v1/fulfillments/{id}/reject': { reason: 'flooded' },
  'POST /v1/fulfillments/{id}/collect': { pickupCode: '123456' },
  'POST /v1/fulfillments/{id}/arrived': { spot: 'Bay 3' },
  'POST /v1/carriers/{carrier}/events': { trackingNumber: 'PC123', status: 'in_transit', at: '2026-01-02T03:04:05Z', detail: 'Left the hub' },
  'POST /v1/returns': { orderId: 'ord_abc', method: 'in_store', locationId: 'STORE-1', lines: [{ lineId: '1', quantity: 1, reason: 'too small' }] },
  'POST /v1/returns/{id}/receive': { locationId: 'STORE-1', lines: [{ lineId: '1', quantity: 1, condition: 'sellable' }] },
  'PUT /v1/customers/{id}/flag': { reason: 'chargebacks' },
  'POST /v1/webhooks': { url: 'https://example.com/hook', events: ['order.*'], secret: 'a-very-long-secret-value' },
  'POST /codec/decode': { payloads: [{ metadata: { encoding: 'YmluYXJ5L3BsYWlu' }, data: 'e30=' }] },
  'POST /codec/encode': { payloads: [{ metadata: { encoding: 'YmluYXJ5L3BsYWlu' }, data: 'e30=' }] },
  'POST /v1/api-keys': { name: 'Store 1 tablet', role: 'associate', locationIds: ['STORE-1'] },
  'PUT /v1/api-keys/{id}/carrier': { carrier: 'ParcelCo' },
};

/** Path parameters that pass validation (the resources need not exist: fields are checked first). */
export function examplePathParam(path: string, name: string): string {
  if (name === 'id' && path.startsWith('/v1/transfers/')) return 'trf_abc';
  return examplePathParams[name]!;
}

const examplePathParams: Record<string, string> = {
  id: 'x-1',
  sku: 'SKU-1',
  locationId: 'WH-1',
  channel: 'web',
  carrier: 'ParcelCo',
  deliveryId: '1',
  event: 'shipped',
  language: 'de',
};

/** Query strings that pass validation, per endpoint. */
export const exampleQueries: Record<string, Record<string, string>> = {
  'GET /v1/availability': { sku: 'SKU-1', locationId: 'WH-1', channel: 'web' },
  'GET /v1/orders': { channel: 'web', locationId: 'WH-1', cursor: 'abc' },
  'GET /v1/returns': { orderId: 'ord_abc', before: 'ret_abc' },
  'GET /v1/events': { orderId: 'ord_abc', type: 'order.routed' },
  'GET /v1/audit': { keyId: 'key_1', action: 'createOrder', target: 'ord_abc' },
  'GET /v1/demand-history': { sku: 'SKU-1', locationId: 'WH-1', channel: 'web', from: '2026-11-01', to: '2026-11-30' },
  'GET /v1/forecasts': { sku: 'SKU-1', locationId: 'WH-1', channel: 'web', horizon: '14' },
  'GET /v1/replenishment/proposals': { locationId: 'WH-1', status: 'proposed', limit: '10' },
};

/** Every string in a JSON value, with its path as problem documents name it (`lines[0].sku`). */
export function stringFields(value: unknown, path = ''): { path: string; set: (root: unknown, next: string) => unknown }[] {
  const out: { path: string; set: (root: unknown, next: string) => unknown }[] = [];
  const walk = (node: unknown, at: string, trail: (string | number)[]) => {
    if (typeof node === 'string') {
      out.push({
        path: at,
        set: (root, next) => {
          const copy = structuredClone(root) as Record<string | number, unknown>;
          let cursor: Record<string | number, unknown> = copy;
          for (const key of trail.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
          cursor[trail.at(-1)!] = next;
          return copy;
        },
      });
    } else if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}[${i}]`, [...trail, i]));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, at ? `${at}.${k}` : k, [...trail, k]);
  };
  walk(value, path, []);
  return out;
}

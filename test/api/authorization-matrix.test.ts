// The authorization matrix over real resources: every endpoint, called on a real order of the
// `web` channel, a real fulfillment at WH-A, a real return, transfer, webhook and key, by every
// kind of caller — no key, a revoked key, each role, a channel and an associate bound
// elsewhere. The expected answer of each caller is written here from the HTTP contract
// (shared/api.md), not taken from the route table the server enforces:
//   allowed → authorized (2xx, or 409/422 when the resource's state or the body says no),
//   hidden  → 404 (another channel's order, another location's fulfillment),
//   any other role → 403, no key or a revoked key → 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

type Api = ReturnType<typeof client>;
// Two carriers: the parcel's own ('carrier') and a rival, for whom the parcel does not exist.
type Caller = 'no key' | 'revoked key' | 'admin' | 'ops' | 'exceptions' | 'channel web' | 'channel other' | 'associate WH-A' | 'associate WH-B' | 'carrier' | 'carrier rival';
const CALLERS: Caller[] = ['no key', 'revoked key', 'admin', 'ops', 'exceptions', 'channel web', 'channel other', 'associate WH-A', 'associate WH-B', 'carrier', 'carrier rival'];

// Who may do what, in the contract's words.
const OPS: Caller[] = ['admin', 'ops', 'exceptions']; // ops: reads everything, manages the network; exceptions has every ops right
const EXCEPTIONS: Caller[] = ['admin', 'exceptions'];
const ADMIN: Caller[] = ['admin'];
const READERS: Caller[] = [...OPS, 'channel web', 'channel other', 'associate WH-A', 'associate WH-B'];
const ANY_KEY: Caller[] = CALLERS.filter((c) => c !== 'no key' && c !== 'revoked key');

interface Cell {
  method: 'get' | 'post' | 'put' | 'delete';
  /** The OpenAPI path this exercises. */
  path: string;
  /** The concrete URL, per caller (destructive calls get a resource of their own). */
  url: (caller: Caller) => string | Promise<string>;
  body?: unknown | ((caller: Caller) => unknown);
  allow: Caller[];
  hidden?: Caller[];
  /** Statuses that still mean "authorized" for this cell (besides 2xx, 409, 422). */
  alsoAuthorized?: number[];
  /** Authenticated by a secret of its own (Karrio's and Stripe's webhooks), not an API key: every key is 401. */
  ownSecret?: true;
}

let stack: TestStack;
const api = {} as Record<Caller, Api>;
let orderId: string;
let fulfillmentId: string;
let returnId: string;
let deliveredId: string;
let tracking: { carrier: string; trackingNumber: string };
let transferId: string;
let promiseId: string;
let cells: Cell[];

async function newTransfer(): Promise<string> {
  const res = await api.ops.post('/v1/transfers', { fromLocationId: 'WH-A', toLocationId: 'WH-B', lines: [{ sku: 'INK', quantity: 1 }], expectedAt: new Date(Date.now() + 86_400_000).toISOString() });
  return res.body.id;
}

beforeAll(async () => {
  stack = await startTestStack({ webhooks: false });
  const admin = client(stack, stack.adminKey);
  const key = async (body: Record<string, unknown>) => (await admin.post('/v1/api-keys', { name: `matrix ${body.role}`, ...body })).body;
  const revoked = await key({ role: 'ops' });
  await admin.delete(`/v1/api-keys/${revoked.id}`);
  Object.assign(api, {
    'no key': client(stack),
    'revoked key': client(stack, revoked.key),
    admin,
    ops: client(stack, (await key({ role: 'ops' })).key),
    exceptions: client(stack, (await key({ role: 'exceptions' })).key),
    'channel web': client(stack, (await key({ role: 'channel', channel: 'web' })).key),
    'channel other': client(stack, (await key({ role: 'channel', channel: 'other' })).key),
    'associate WH-A': client(stack, (await key({ role: 'associate', locationIds: ['WH-A'] })).key),
    'associate WH-B': client(stack, (await key({ role: 'associate', locationIds: ['WH-B'] })).key),
  });
  const returnsToo = { ship: true, pickup: true, curbside: true, sameDay: false, returns: true };
  await seedNetwork(api.ops, {
    locations: { 'WH-A': locationBody(41.88, -87.64, { capabilities: returnsToo }), 'WH-B': locationBody(41.9, -87.7, { capabilities: returnsToo }) },
    skus: ['INK'],
    stock: [['WH-A', 'INK', 100], ['WH-B', 'INK', 100]],
  });

  // A delivered order of the web channel (so it can be returned), and a second, open one to act on.
  const delivered = (await api['channel web'].post('/v1/orders?wait=routed', shipOrder('MATRIX-D', [{ sku: 'INK', quantity: 2 }]))).body;
  const shipped = delivered.fulfillments[0].id;
  await api.ops.post(`/v1/fulfillments/${shipped}/pick`, { scans: [{ barcode: 'INK', quantity: 2 }] });
  const label = (await api.ops.post(`/v1/fulfillments/${shipped}/pack`, { packages: [{ weightGrams: 500, lengthCm: 20, widthCm: 10, heightCm: 5 }] })).body;
  await api.ops.post(`/v1/fulfillments/${shipped}/handoff`, {});
  // Each carrier's key is bound to its carrier: the parcel's, and a rival's.
  api.carrier = client(stack, (await key({ role: 'carrier', carrier: label.carrier })).key);
  api['carrier rival'] = client(stack, (await key({ role: 'carrier', carrier: label.carrier === 'ParcelCo' ? 'PostalService' : 'ParcelCo' })).key);
  await api.carrier.post(`/v1/carriers/${label.carrier}/events`, { trackingNumber: label.trackingNumber, status: 'delivered', at: new Date().toISOString() });
  await eventually(() => api.ops.get(`/v1/orders/${delivered.id}`), (r) => r.body.status === 'completed', 'delivered');
  deliveredId = delivered.id;
  tracking = { carrier: label.carrier, trackingNumber: label.trackingNumber };
  // A mail return sent to WH-A, with its prepaid label.
  returnId = (await api['channel web'].post('/v1/returns', { orderId: delivered.id, method: 'mail', locationId: 'WH-A', lines: [{ lineId: '1', quantity: 1, reason: 'smudged' }] })).body.id;
  await eventually(() => api.ops.get(`/v1/returns/${returnId}`), (r) => r.body.label !== undefined, 'return label');
  const open = (await api['channel web'].post('/v1/orders?wait=routed', shipOrder('MATRIX-1', [{ sku: 'INK', quantity: 1 }]))).body;
  orderId = open.id;
  fulfillmentId = open.fulfillments[0].id;
  expect(open.fulfillments[0].locationId).toBe('WH-A');
  transferId = await newTransfer();
  // A pick list at WH-A over the open fulfillment, written directly (its state does not matter here).
  await stack.db('pick_lists').insert({ id: 'pkl_matrix', location_id: 'WH-A', created_by: 'matrix' });
  await stack.db('pick_list_fulfillments').insert({ pick_list_id: 'pkl_matrix', fulfillment_id: fulfillmentId, position: 0 });
  const address = shipOrder('x', []).fulfillment.shipTo;
  const cart = { channel: 'web', destination: { ...address, geo: { lat: 41.8789, lon: -87.6359 } }, lines: [{ sku: 'INK', quantity: 1 }] };
  promiseId = (await api['channel web'].post('/v1/promises', cart)).body.id;
  const order = `/v1/orders/${orderId}`;
  const ful = `/v1/fulfillments/${fulfillmentId}`;

  cells = [
    // Network and inventory (ops; channels and associates read locations, SKUs and availability).
    { method: 'get', path: '/v1/locations', url: () => '/v1/locations', allow: READERS },
    { method: 'get', path: '/v1/locations/{id}', url: () => '/v1/locations/WH-A', allow: READERS },
    { method: 'put', path: '/v1/locations/{id}', url: () => '/v1/locations/WH-A', body: locationBody(41.88, -87.64, { capabilities: returnsToo }), allow: OPS },
    { method: 'get', path: '/v1/skus/{sku}', url: () => '/v1/skus/INK', allow: READERS },
    { method: 'put', path: '/v1/skus/{sku}', url: () => '/v1/skus/INK', body: { name: 'INK', weightGrams: 500 }, allow: OPS },
    { method: 'get', path: '/v1/availability', url: () => '/v1/availability?sku=INK', allow: READERS },
    { method: 'get', path: '/v1/inventory/{locationId}/{sku}/ledger', url: () => '/v1/inventory/WH-A/INK/ledger', allow: OPS },
    { method: 'put', path: '/v1/inventory/{locationId}/{sku}', url: () => '/v1/inventory/WH-B/INK', body: { onHand: 100 }, allow: OPS },
    { method: 'post', path: '/v1/inventory/adjustments', url: () => '/v1/inventory/adjustments', body: { locationId: 'WH-B', sku: 'INK', delta: 1, reason: 'found' }, allow: OPS },
    { method: 'post', path: '/v1/inventory/quarantine', url: () => '/v1/inventory/quarantine', body: { locationId: 'WH-B', sku: 'INK', quantity: 1, reason: 'dented' }, allow: OPS },
    { method: 'post', path: '/v1/inventory/feeds', url: () => '/v1/inventory/feeds', body: { source: 'erp', asOf: new Date().toISOString(), items: [{ locationId: 'WH-B', sku: 'INK', onHand: 100 }] }, allow: OPS },
    { method: 'get', path: '/v1/feed-watermarks', url: () => '/v1/feed-watermarks?locationId=WH-B', allow: OPS },
    // Resets nothing that matters here: only watermarks later than a day from now.
    { method: 'post', path: '/v1/feed-watermarks/reset', url: () => '/v1/feed-watermarks/reset', body: () => ({ after: new Date(Date.now() + 86_400_000).toISOString() }), allow: OPS },
    { method: 'get', path: '/v1/channels/{channel}/allocation', url: () => '/v1/channels/web/allocation', allow: [...OPS, 'channel web'], hidden: ['channel other'] },
    { method: 'put', path: '/v1/channels/{channel}/allocation', url: () => '/v1/channels/web/allocation', body: { locationIds: null, sharePercent: 100 }, allow: OPS },
    // Associates at either end see a transfer; the source picks and ships it, the destination receives it.
    { method: 'get', path: '/v1/transfers/{id}', url: () => `/v1/transfers/${transferId}`, allow: [...OPS, 'associate WH-A', 'associate WH-B'] },
    { method: 'get', path: '/v1/locations/{id}/transfers', url: () => '/v1/locations/WH-A/transfers', allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/transfers/{id}/pick', url: () => `/v1/transfers/${transferId}/pick`, body: { scans: [{ barcode: 'INK', quantity: 1 }] }, allow: [...OPS, 'associate WH-A'] },
    { method: 'post', path: '/v1/transfers', url: () => '/v1/transfers', body: { fromLocationId: 'WH-B', toLocationId: 'WH-A', lines: [{ sku: 'INK', quantity: 1 }], expectedAt: new Date(Date.now() + 86_400_000).toISOString() }, allow: OPS },
    { method: 'post', path: '/v1/transfers/{id}/ship', url: () => `/v1/transfers/${transferId}/ship`, allow: [...OPS, 'associate WH-A'] },
    { method: 'post', path: '/v1/transfers/{id}/receive', url: () => `/v1/transfers/${transferId}/receive`, allow: [...OPS, 'associate WH-B'] },
    { method: 'post', path: '/v1/transfers/{id}/cancel', url: async () => `/v1/transfers/${await newTransfer()}/cancel`, body: { reason: 'not needed' }, allow: OPS },
    // Orders: channels create and read their own; associates read those with work at their locations.
    { method: 'get', path: '/v1/orders/{id}/messages', url: () => `${order}/messages`, allow: [...OPS, 'channel web'], hidden: ['channel other'] },
    { method: 'get', path: '/v1/message-templates/{event}/{language}', url: () => '/v1/message-templates/shipped/en', allow: OPS },
    { method: 'put', path: '/v1/message-templates/{event}/{language}', url: () => '/v1/message-templates/shipped/fr', body: { subject: 'Order {{orderNumber}}', text: 'Hello {{customerName}}', html: '<p>Hello {{customerName}}</p>' }, allow: OPS },
    { method: 'post', path: '/v1/message-templates/{event}/{language}/preview', url: () => '/v1/message-templates/shipped/en/preview', body: {}, allow: OPS },
    { method: 'get', path: '/v1/message-settings/{channel}', url: () => '/v1/message-settings/web', allow: OPS },
    { method: 'put', path: '/v1/message-settings/{channel}', url: () => '/v1/message-settings/matrix', body: { optOut: ['shipped'] }, allow: ADMIN },
    { method: 'get', path: '/v1/orders/{id}', url: () => order, allow: [...OPS, 'channel web', 'associate WH-A'], hidden: ['channel other', 'associate WH-B'] },
    { method: 'get', path: '/v1/orders', url: () => '/v1/orders', allow: READERS },
    { method: 'get', path: '/v1/orders/{id}/routing', url: () => `${order}/routing`, allow: [...OPS, 'channel web'], hidden: ['channel other'] },
    { method: 'post', path: '/v1/orders', url: () => '/v1/orders', body: (caller: Caller) => shipOrder(`MATRIX-NEW-${caller}`, [{ sku: 'INK', quantity: 1 }]), allow: ['admin', 'channel web'], hidden: [] },
    // The location's queue and fulfillment work: associates at the location, and ops.
    { method: 'get', path: '/v1/locations/{id}/fulfillments', url: () => '/v1/locations/WH-A/fulfillments', allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'get', path: '/v1/fulfillments/{id}', url: () => ful, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/locations/{id}/pick-lists', url: () => '/v1/locations/WH-A/pick-lists', body: { maxFulfillments: 1 }, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'get', path: '/v1/pick-lists/{id}', url: () => '/v1/pick-lists/pkl_matrix', allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/pick-lists/{id}/scans', url: () => '/v1/pick-lists/pkl_matrix/scans', body: { barcode: 'NOT-HERE' }, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/fulfillments/{id}/arrived', url: () => `${ful}/arrived`, body: {}, allow: [...OPS, 'associate WH-A', 'channel web'], hidden: ['associate WH-B', 'channel other'] },
    { method: 'post', path: '/v1/fulfillments/{id}/pick', url: () => `${ful}/pick`, body: { scans: [{ barcode: 'INK', quantity: 1 }] }, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/fulfillments/{id}/pack', url: () => `${ful}/pack`, body: { packages: [{ weightGrams: 500, lengthCm: 20, widthCm: 10, heightCm: 5 }] }, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'get', path: '/v1/fulfillments/{id}/label', url: () => `${ful}/label`, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/fulfillments/{id}/ready', url: () => `${ful}/ready`, body: {}, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/fulfillments/{id}/collect', url: () => `${ful}/collect`, body: { pickupCode: '000000' }, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/carriers/{carrier}/events', url: () => `/v1/carriers/${tracking.carrier}/events`, body: () => ({ trackingNumber: tracking.trackingNumber, status: 'delivered', at: new Date().toISOString() }), allow: ['admin', 'carrier'], hidden: ['carrier rival'] },
    // Exception actions: exceptions; a channel cancels and re-addresses its own orders.
    { method: 'post', path: '/v1/orders/{id}/hold', url: () => `${order}/hold`, body: { reason: 'review' }, allow: EXCEPTIONS },
    { method: 'post', path: '/v1/orders/{id}/release', url: () => `${order}/release`, body: {}, allow: EXCEPTIONS },
    { method: 'post', path: '/v1/orders/{id}/address', url: () => `${order}/address`, body: { shipTo: address }, allow: [...EXCEPTIONS, 'channel web'], hidden: ['channel other'] },
    // A store that does not exist: authorized callers get the 422, changing nothing.
    { method: 'post', path: '/v1/orders/{id}/fulfillment-method', url: () => `${order}/fulfillment-method`, body: { method: 'pickup', pickupLocationId: 'NO-STORE' }, allow: [...EXCEPTIONS, 'channel web'], hidden: ['channel other'] },
    { method: 'post', path: '/v1/orders/{id}/reroute', url: () => `${order}/reroute`, body: { fulfillmentId, reason: 'dock closed' }, allow: EXCEPTIONS },
    { method: 'post', path: '/v1/fulfillments/{id}/handoff', url: () => `${ful}/handoff`, body: {}, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/fulfillments/{id}/reject', url: () => `${ful}/reject`, body: { reason: 'flooded' }, allow: [...OPS, 'associate WH-A'], hidden: ['associate WH-B'] },
    { method: 'post', path: '/v1/orders/{id}/cancel', url: () => `${order}/cancel`, body: { reason: 'customer asked' }, allow: [...EXCEPTIONS, 'channel web'], hidden: ['channel other'] },
    // Returns: any channel for its own orders, associates at their locations, ops.
    { method: 'get', path: '/v1/returns', url: () => '/v1/returns', allow: READERS },
    { method: 'get', path: '/v1/returns/{id}', url: () => `/v1/returns/${returnId}`, allow: [...OPS, 'channel web', 'associate WH-A'], hidden: ['channel other', 'associate WH-B'] },
    { method: 'get', path: '/v1/returns/{id}/label', url: () => `/v1/returns/${returnId}/label`, allow: [...OPS, 'channel web', 'associate WH-A'], hidden: ['channel other', 'associate WH-B'] },
    { method: 'post', path: '/v1/returns', url: () => '/v1/returns', body: () => ({ orderId: deliveredId, method: 'in_store', locationId: 'WH-A', lines: [{ lineId: '1', quantity: 1, reason: 'x' }] }), allow: [...OPS, 'channel web', 'associate WH-A'], hidden: ['channel other'] },
    // A return may be received at any store: an associate receives at its own locations only (WH-B's key, at WH-A: 403).
    { method: 'post', path: '/v1/returns/{id}/receive', url: () => `/v1/returns/${returnId}/receive`, body: { locationId: 'WH-A', lines: [{ lineId: '1', quantity: 1, condition: 'sellable' }] }, allow: [...OPS, 'associate WH-A'] },
    { method: 'post', path: '/v1/returns/{id}/cancel', url: () => `/v1/returns/${returnId}/cancel`, allow: [...EXCEPTIONS, 'channel web'], hidden: ['channel other'] },
    { method: 'get', path: '/v1/return-policies/{channel}', url: () => '/v1/return-policies/web', allow: [...OPS, 'channel web'], hidden: ['channel other'] },
    { method: 'put', path: '/v1/return-policies/{channel}', url: () => '/v1/return-policies/web', body: { windowDays: 30, receiptDays: 30, exchangeBeforeReceipt: false }, allow: OPS },
    // Routing profiles, flags, events, analytics (ops / exceptions).
    { method: 'get', path: '/v1/routing-profiles', url: () => '/v1/routing-profiles', allow: OPS },
    { method: 'put', path: '/v1/routing-profiles/{id}', url: () => '/v1/routing-profiles/matrix', body: { name: 'Matrix', appliesTo: { channels: ['matrix'] } }, allow: OPS },
    { method: 'get', path: '/v1/routing-profiles/{id}', url: () => '/v1/routing-profiles/matrix', allow: OPS },
    { method: 'get', path: '/v1/routing-rules', url: () => '/v1/routing-rules', allow: OPS },
    // Markets: ops define them; channels may read them (their currency, countries).
    { method: 'get', path: '/v1/markets', url: () => '/v1/markets', allow: [...OPS, 'channel web', 'channel other'] },
    { method: 'put', path: '/v1/markets/{id}', url: () => '/v1/markets/matrix', body: { name: 'Matrix', countries: ['US'], currency: 'USD', timezone: 'America/Chicago' }, allow: OPS },
    { method: 'post', path: '/v1/markets/{id}/rate-cards/refresh', url: () => '/v1/markets/matrix/rate-cards/refresh', body: {}, allow: OPS, alsoAuthorized: [404] },
    { method: 'get', path: '/v1/markets/{id}', url: () => '/v1/markets/matrix', allow: [...OPS, 'channel web', 'channel other'], alsoAuthorized: [404] },
    // Promises: a channel asks for its own carts (another channel's: 403 on create, 404 after).
    { method: 'post', path: '/v1/promises', url: () => '/v1/promises', body: cart, allow: [...OPS, 'channel web'] },
    { method: 'get', path: '/v1/promises/{id}', url: () => `/v1/promises/${promiseId}`, allow: [...OPS, 'channel web'], hidden: ['channel other'] },
    { method: 'post', path: '/v1/promises/{id}/release', url: () => `/v1/promises/${promiseId}/release`, body: {}, allow: [...OPS, 'channel web'], hidden: ['channel other'] },
    { method: 'put', path: '/v1/routing-rules', url: () => '/v1/routing-rules', body: { rules: [{ when: { segment: 'matrix' }, profileId: 'matrix' }] }, allow: OPS },
    { method: 'put', path: '/v1/customers/{id}/flag', url: () => '/v1/customers/c-matrix/flag', body: { reason: 'chargebacks' }, allow: EXCEPTIONS },
    { method: 'get', path: '/v1/customers/{id}/temporal-search', url: () => '/v1/customers/c-matrix/temporal-search?channel=web', allow: OPS },
    {
      method: 'delete',
      path: '/v1/customers/{id}/flag',
      url: async (caller) => {
        const customer = `c-flagged-${caller.replace(/\W/g, '-')}`;
        await api.exceptions.put(`/v1/customers/${customer}/flag`, { reason: 'chargebacks' });
        return `/v1/customers/${customer}/flag`;
      },
      allow: EXCEPTIONS,
    },
    { method: 'get', path: '/v1/events', url: () => '/v1/events', allow: OPS },
    { method: 'get', path: '/v1/analytics/summary', url: () => '/v1/analytics/summary', allow: OPS },
    { method: 'get', path: '/v1/analytics/timeseries', url: () => '/v1/analytics/timeseries?metric=orders', allow: OPS },
    // Demand history (ops).
    { method: 'post', path: '/v1/demand-history', url: () => '/v1/demand-history', body: { items: [{ sku: 'INK', locationId: 'WH-A', date: '2026-11-02', quantity: 3 }] }, allow: OPS },
    { method: 'get', path: '/v1/demand-history', url: () => '/v1/demand-history?sku=INK&locationId=WH-A&from=2026-11-01&to=2026-11-30', allow: OPS },
    { method: 'get', path: '/v1/forecasts', url: () => '/v1/forecasts?sku=INK&locationId=WH-A&horizon=7', allow: OPS },
    { method: 'post', path: '/v1/forecasts/recompute', url: () => '/v1/forecasts/recompute', body: { sku: 'INK', locationId: 'WH-A' }, allow: OPS },
    { method: 'post', path: '/v1/planning/runs', url: () => '/v1/planning/runs', allow: OPS },
    { method: 'put', path: '/v1/replenishment/policies/{locationId}', url: () => '/v1/replenishment/policies/WH-A', body: { serviceLevel: 0.95, leadTimeDays: 2, reviewPeriodDays: 7 }, allow: OPS },
    { method: 'get', path: '/v1/replenishment/policies/{locationId}', url: () => '/v1/replenishment/policies/WH-A', allow: OPS },
    {
      method: 'delete',
      path: '/v1/replenishment/policies/{locationId}',
      url: async () => {
        await api.ops.put('/v1/replenishment/policies/WH-A', { sku: 'INK', serviceLevel: 0.9, leadTimeDays: 1, reviewPeriodDays: 7 });
        return '/v1/replenishment/policies/WH-A?sku=INK';
      },
      allow: OPS,
    },
    { method: 'get', path: '/v1/locations/{id}/performance', url: () => '/v1/locations/WH-A/performance', allow: OPS },
    { method: 'get', path: '/v1/replenishment/proposals', url: () => '/v1/replenishment/proposals?locationId=WH-A', allow: OPS },
    { method: 'post', path: '/v1/replenishment/proposals/{id}/approve', url: () => '/v1/replenishment/proposals/rpl_none/approve', allow: OPS, alsoAuthorized: [404] },
    { method: 'post', path: '/v1/payment-providers/stripe/events', url: () => '/v1/payment-providers/stripe/events', body: { id: 'evt_1', type: 'charge.dispute.created', data: {} }, allow: [], ownSecret: true },
    { method: 'post', path: '/v1/carrier-gateways/karrio/events', url: () => '/v1/carrier-gateways/karrio/events', body: { event: 'tracker_updated', data: {} }, allow: [], ownSecret: true },
    { method: 'post', path: '/codec/decode', url: () => '/codec/decode', body: { payloads: [] }, allow: OPS },
    { method: 'post', path: '/codec/encode', url: () => '/codec/encode', body: { payloads: [] }, allow: OPS },
    // Admin only: keys, webhooks, the audit log.
    { method: 'get', path: '/v1/api-keys', url: () => '/v1/api-keys', allow: ADMIN },
    { method: 'post', path: '/v1/api-keys', url: () => '/v1/api-keys', body: { name: 'made in the matrix', role: 'carrier', carrier: 'ParcelCo' }, allow: ADMIN },
    { method: 'delete', path: '/v1/api-keys/{id}', url: async () => `/v1/api-keys/${(await key({ role: 'carrier', carrier: 'ParcelCo' })).id}`, allow: ADMIN },
    { method: 'put', path: '/v1/api-keys/{id}/carrier', url: async () => `/v1/api-keys/${(await key({ role: 'carrier', carrier: 'ParcelCo' })).id}/carrier`, body: { carrier: 'ParcelCo' }, allow: ADMIN },
    { method: 'get', path: '/v1/audit', url: () => '/v1/audit', allow: ADMIN },
    { method: 'get', path: '/v1/webhooks', url: () => '/v1/webhooks', allow: ADMIN },
    { method: 'post', path: '/v1/webhooks', url: () => '/v1/webhooks', body: { url: 'http://127.0.0.1:9/hooks', events: ['order.*'], secret: 'matrix-secret-0123456789' }, allow: ADMIN },
    { method: 'delete', path: '/v1/webhooks/{id}', url: async () => `/v1/webhooks/${(await admin.post('/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['*'], secret: 'matrix-secret-0123456789' })).body.id}`, allow: ADMIN },
    { method: 'get', path: '/v1/webhooks/{id}/deliveries', url: async () => `/v1/webhooks/${(await admin.post('/v1/webhooks', { url: 'http://127.0.0.1:9/y', events: ['*'], secret: 'matrix-secret-0123456789' })).body.id}/deliveries`, allow: ADMIN },
    // No delivery exists in this stack (delivery is off): past authorization, the answer is 404.
    { method: 'post', path: '/v1/webhooks/{id}/deliveries/{deliveryId}/resend', url: () => '/v1/webhooks/whk_none/deliveries/1/resend', allow: ADMIN, alsoAuthorized: [404] },
    // The console: any live key may sign in; a bearer request has no session to show or end (404).
    { method: 'post', path: '/v1/sessions', url: () => '/v1/sessions', allow: ANY_KEY },
    { method: 'get', path: '/v1/sessions/current', url: () => '/v1/sessions/current', allow: ANY_KEY, alsoAuthorized: [404] },
    { method: 'delete', path: '/v1/sessions/current', url: () => '/v1/sessions/current', allow: ANY_KEY, alsoAuthorized: [404] },
    { method: 'get', path: '/v1/board', url: () => '/v1/board', allow: OPS },
    { method: 'put', path: '/v1/channel-sync/{channel}', url: () => '/v1/channel-sync/web', body: { source: 'medusa', pendingOrders: 0, refusedOrders: 0 }, allow: [...OPS, 'channel web'] },
    { method: 'get', path: '/v1/channel-sync', url: () => '/v1/channel-sync', allow: OPS },
    { method: 'put', path: '/v1/board/thresholds', url: () => '/v1/board/thresholds', body: { on_hold: { warning: 5, critical: 20 } }, allow: ADMIN },
  ];
});
afterAll(async () => stack?.close());

function send(caller: Caller, method: Cell['method'], url: string, body: unknown) {
  const a = api[caller];
  if (method === 'get') return a.get(url);
  if (method === 'delete') return a.delete(url);
  if (method === 'put') return a.put(url, body ?? {});
  return a.post(url, body ?? {});
}

/** What the contract says this caller gets. */
function expected(cell: Cell, caller: Caller): 'authorized' | 401 | 403 | 404 {
  if (caller === 'no key' || caller === 'revoked key' || cell.ownSecret) return 401;
  if (cell.allow.includes(caller)) return 'authorized';
  if (cell.hidden?.includes(caller)) return 404;
  return 403;
}

describe('the authorization matrix', () => {
  it('covers every operation of the OpenAPI document', async () => {
    const doc = (await client(stack).get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/') || path.startsWith('/codec/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(operations.filter((op) => !cells.some((c) => `${c.method} ${c.path}` === op))).toEqual([]);
  });

  it('gives each caller what the contract says, on real resources', async () => {
    const wrong: string[] = [];
    for (const cell of cells) {
      // Those refused go first, so the resource is still there for those allowed.
      for (const caller of [...CALLERS].sort((a, b) => Number(expected(cell, a) === 'authorized') - Number(expected(cell, b) === 'authorized'))) {
        const body = typeof cell.body === 'function' ? (cell.body as (c: Caller) => unknown)(caller) : cell.body;
        const res = await send(caller, cell.method, await cell.url(caller), body);
        const want = expected(cell, caller);
        const ok = want === 'authorized' ? res.status < 400 || [409, 422, ...(cell.alsoAuthorized ?? [])].includes(res.status) : res.status === want;
        if (!ok) wrong.push(`${cell.method.toUpperCase()} ${cell.path} as ${caller}: ${res.status}, expected ${want} ${res.status >= 400 ? res.text.slice(0, 160) : ''}`);
        if (res.status >= 400) expect(res.headers.get('content-type'), `${cell.method} ${cell.path} ${caller}`).toContain('application/problem+json');
      }
    }
    expect(wrong).toEqual([]);
    await expectInventoryConsistent(stack.db);
  }, 300_000);
});

// `npm run simulate`: live traffic for the demo started by `npm start`. Places orders from
// several channels over the HTTP API and plays the people around them — associates pick
// (sometimes short), pack, hand off, reject; customers collect and arrive at the curb;
// carriers post tracking events; the exceptions team holds, releases, cancels, re-routes and
// changes addresses — leaving orders in every state for the Temporal UI.
//
//   npm run simulate -- [--orders 40] [--api http://localhost:3000] [--seed 7]
//
// The admin key comes from FULCRUM_ADMIN_KEY or the data directory `npm start` keeps it in.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.ts';

const { values: args } = parseArgs({
  options: { orders: { type: 'string', default: '40' }, api: { type: 'string' }, seed: { type: 'string', default: String(Date.now() % 100000) }, concurrency: { type: 'string', default: '4' } },
});
const config = loadConfig();
const apiUrl = args.api ?? `http://localhost:${config.port}`;
const adminKeyFile = join(config.dataDir, 'admin-key');
const adminKey = config.adminKey ?? (existsSync(adminKeyFile) ? readFileSync(adminKeyFile, 'utf8').trim() : undefined);
if (!adminKey) {
  console.error(`simulate: no admin key (set FULCRUM_ADMIN_KEY or run \`npm start\` first, which keeps one in ${adminKeyFile})`);
  process.exit(2);
}

// A small deterministic generator, so `--seed` replays the same run.
let state = Number(args.seed) || 1;
function random(): number {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state / 2 ** 31;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- responses of our own API, checked by status

async function call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function must(key: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await call(key, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`);
  return res.body;
}

async function newKey(body: Record<string, unknown>): Promise<string> {
  return (await must(adminKey!, 'POST', '/v1/api-keys', body)).key;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const ADDRESSES = [
  { line1: '233 S Wacker Dr', city: 'Chicago', region: 'IL', postalCode: '60606', country: 'US', geo: { lat: 41.8789, lon: -87.6359 } },
  { line1: '1060 W Addison St', city: 'Chicago', region: 'IL', postalCode: '60613', country: 'US', geo: { lat: 41.9484, lon: -87.6553 } },
  { line1: '1 Rotary Ctr', city: 'Evanston', region: 'IL', postalCode: '60201', country: 'US', geo: { lat: 42.0464, lon: -87.6814 } },
  { line1: '400 S Main St', city: 'Naperville', region: 'IL', postalCode: '60540', country: 'US', geo: { lat: 41.7705, lon: -88.1469 } },
  { line1: '700 Main St', city: 'Madison', region: 'WI', postalCode: '53703', country: 'US', geo: { lat: 43.0747, lon: -89.3842 } },
];
const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Tony'];
const STORES = ['STORE-001', 'STORE-002', 'STORE-003', 'STORE-005', 'STORE-006', 'STORE-009'];
const SKUS = Array.from({ length: 50 }, (_, i) => `SKU-${String(i + 1).padStart(3, '0')}`);

type Ending = 'complete' | 'leave_pending' | 'leave_picking' | 'leave_packed' | 'leave_in_transit' | 'leave_ready' | 'short_pick' | 'reject' | 'hold' | 'hold_release' | 'cancel' | 'partial_cancel' | 'reroute' | 'address' | 'exception';

/** Who plays the simulation: the channels' keys, the associates, the carrier, the exceptions team. */
interface Sim {
  channels: Record<string, string>;
  associate: string;
  carrier: (name: string) => Promise<string>;
  exceptions: string;
  runId: string;
  tally: Map<string, number>;
}

async function fulfillmentsOf(sim: Sim, channelKey: string, orderId: string): Promise<Json[]> {
  const order = await until(() => must(channelKey, 'GET', `/v1/orders/${orderId}`), (o) => o.status !== 'received');
  for (const f of order.fulfillments) await until(() => call(sim.associate, 'GET', `/v1/fulfillments/${f.id}`), (r) => r.status === 200);
  return order.fulfillments;
}

async function work(sim: Sim, f: Json, ending: Ending, channelKey: string): Promise<void> {
  let current = await must(sim.associate, 'GET', `/v1/fulfillments/${f.id}`);
  if (current.status === 'awaiting_transfer') {
    // Pickup by transfer: the source picks and ships, the store receives, then it is worked like any pickup.
    if (ending === 'leave_pending') return;
    const transferId = current.transfer.id;
    const transfer = await must(sim.associate, 'GET', `/v1/transfers/${transferId}`);
    await must(sim.associate, 'POST', `/v1/transfers/${transferId}/pick`, { scans: transfer.lines.map((l: Json) => ({ barcode: l.sku, quantity: l.quantity })) });
    await must(sim.associate, 'POST', `/v1/transfers/${transferId}/ship`, chance(0.5) ? { carrier: 'ups', trackingNumber: `1ZSIM${transferId.slice(4, 16).toUpperCase()}` } : {});
    sim.tally.set('pickup by transfer', (sim.tally.get('pickup by transfer') ?? 0) + 1);
    if (ending === 'leave_in_transit') return;
    await must(sim.associate, 'POST', `/v1/transfers/${transferId}/receive`, {});
    current = await until(() => must(sim.associate, 'GET', `/v1/fulfillments/${f.id}`), (x) => x.status !== 'awaiting_transfer');
  }
  if (current.status !== 'pending') return;
  if (ending === 'leave_pending') return;
  if (ending === 'reject') {
    await must(sim.associate, 'POST', `/v1/fulfillments/${f.id}/reject`, { reason: pick(['stock room flooded', 'item damaged on shelf', 'short-staffed today']) });
    return;
  }
  const short = ending === 'short_pick' && current.lines[0].quantity > 0;
  const scans = current.lines.map((l: Json, i: number) => ({ barcode: chance(0.5) && l.gtin ? l.gtin : l.sku, quantity: l.quantity - (short && i === 0 ? 1 : 0) })).filter((s: Json) => s.quantity > 0);
  const picked = await must(sim.associate, 'POST', `/v1/fulfillments/${f.id}/pick`, { scans, ...(short ? { shortages: [{ lineId: current.lines[0].lineId, quantity: 1 }] } : {}) });
  // Nothing found at all: the fulfillment closed and the order routes the units elsewhere.
  if (ending === 'leave_picking' || picked.status !== 'picking') return;
  if (f.method === 'pickup' || f.method === 'curbside') {
    if (f.method === 'curbside' && chance(0.5)) await must(channelKey, 'POST', `/v1/fulfillments/${f.id}/arrived`, { spot: `Bay ${1 + Math.floor(random() * 6)}` });
    const ready = await call(sim.associate, 'POST', `/v1/fulfillments/${f.id}/ready`, {});
    if (ready.status !== 200 || ending === 'leave_ready') return;
    const order = await until(() => must(channelKey, 'GET', `/v1/orders/${current.orderId}`), (o) => o.fulfillments.some((x: Json) => x.id === f.id && x.pickupCode));
    const code = order.fulfillments.find((x: Json) => x.id === f.id).pickupCode;
    await must(sim.associate, 'POST', `/v1/fulfillments/${f.id}/collect`, { pickupCode: code });
    return;
  }
  const packed = await must(sim.associate, 'POST', `/v1/fulfillments/${f.id}/pack`, { packages: [{ weightGrams: 300 + Math.floor(random() * 4000), lengthCm: 40, widthCm: 30, heightCm: 20 }] });
  if (ending === 'leave_packed') return;
  await must(sim.associate, 'POST', `/v1/fulfillments/${f.id}/handoff`, {});
  const track = async (status: string, detail?: string) =>
    must(await sim.carrier(packed.carrier), 'POST', `/v1/carriers/${packed.carrier}/events`, { trackingNumber: packed.trackingNumber, status, at: new Date().toISOString(), ...(detail ? { detail } : {}) });
  await track('in_transit');
  if (ending === 'exception') {
    await track('exception', 'address not accessible; held at depot');
    return;
  }
  if (ending === 'leave_in_transit') return;
  await track('out_for_delivery');
  await track('delivered');
}

/** The customer sends something back: by mail or at a store; received sellable or damaged; sometimes an exchange. */
async function playReturn(sim: Sim, channelKey: string, orderId: string): Promise<void> {
  const order = await until(() => must(channelKey, 'GET', `/v1/orders/${orderId}`), (o) => o.status === 'completed', 10_000);
  if (order.status !== 'completed') return;
  const line = pick(order.lines as Json[]);
  const inStore = chance(0.5);
  const opened = await call(channelKey, 'POST', '/v1/returns', {
    orderId,
    method: inStore ? 'in_store' : 'mail',
    ...(inStore ? { locationId: pick(STORES) } : {}),
    lines: [{ lineId: line.lineId, quantity: 1, reason: pick(['too small', 'not as pictured', 'arrived damaged', 'changed my mind']) }],
    ...(chance(0.25) ? { replacementLines: [{ sku: line.sku, quantity: 1 }] } : {}),
  });
  sim.tally.set('return', (sim.tally.get('return') ?? 0) + 1);
  if (opened.status !== 201 || chance(0.3)) return; // left open: the customer has not sent it yet
  await must(sim.associate, 'POST', `/v1/returns/${opened.body.id}/receive`, {
    locationId: opened.body.locationId,
    lines: [{ lineId: line.lineId, quantity: 1, condition: pick(['sellable', 'sellable', 'damaged', 'defective']) }],
  });
}

async function playOrder(sim: Sim, n: number): Promise<void> {
  const channel = pick(['web', 'web', 'app', 'marketplace', 'pos']);
  const channelKey = sim.channels[channel]!;
  const method = pick(['ship', 'ship', 'ship', 'pickup', 'curbside', 'same_day'] as const);
  const lineCount = chance(0.35) ? 2 + Math.floor(random() * 2) : 1;
  const lines = Array.from({ length: lineCount }, (_, i) => ({
    lineId: String(i + 1),
    sku: SKUS[(Math.floor(random() * 50) + i * 7) % 50]!,
    quantity: 1 + Math.floor(random() * 2),
    unitPrice: { amount: 500 + Math.floor(random() * 15000), currency: 'USD' },
  }));
  const total = lines.reduce((s, l) => s + l.quantity * l.unitPrice.amount, 0);
  const customer = { id: `sim-c-${Math.floor(random() * 30)}`, name: `${pick(NAMES)} Simulated` };
  const body = {
    channel,
    channelOrderId: `SIM-${sim.runId}-${n}`,
    customer,
    fulfillment: method === 'ship' || method === 'same_day' ? { method, shipTo: pick(method === 'same_day' ? ADDRESSES.slice(0, 2) : ADDRESSES) } : { method, pickupLocationId: pick(STORES) },
    // Pickups are promised on the standard level, which lets routing bring stock in from a nearby location.
    serviceLevel: method === 'same_day' ? 'same_day' : method === 'ship' ? pick(['standard', 'standard', 'express']) : 'standard',
    lines,
    payment: { authorizationId: `sim_pay_${sim.runId}_${n}`, amount: { amount: total, currency: 'USD' } },
  };
  const created = await call(channelKey, 'POST', '/v1/orders?wait=routed', body);
  if (created.status >= 300) {
    sim.tally.set('refused', (sim.tally.get('refused') ?? 0) + 1);
    return;
  }
  const order = created.body;
  const ending: Ending = pick([
    'complete', 'complete', 'complete', 'complete', 'leave_pending', 'leave_picking', 'leave_packed', 'leave_in_transit',
    'leave_ready', 'short_pick', 'reject', 'hold', 'hold_release', 'cancel', 'partial_cancel', 'reroute', 'address', 'exception',
  ]);
  sim.tally.set(ending, (sim.tally.get(ending) ?? 0) + 1);
  if (order.status === 'on_hold' || order.status === 'backordered') return;
  const path = `/v1/orders/${order.id}`;
  switch (ending) {
    case 'hold':
      await must(sim.exceptions, 'POST', `${path}/hold`, { reason: pick(['fraud review', 'address verification', 'customer called']) });
      return;
    case 'hold_release':
      await must(sim.exceptions, 'POST', `${path}/hold`, { reason: 'payment check' });
      await must(sim.exceptions, 'POST', `${path}/release`, { reason: 'payment confirmed' });
      break;
    case 'cancel':
      await must(channelKey, 'POST', `${path}/cancel`, { reason: 'customer changed their mind' });
      return;
    case 'partial_cancel': {
      const line = order.lines.find((l: Json) => l.quantity > 1) ?? order.lines[0];
      await call(channelKey, 'POST', `${path}/cancel`, { reason: 'one is enough', lines: [{ lineId: line.lineId, quantity: 1 }] });
      break;
    }
    case 'address':
      if (method === 'ship') await must(channelKey, 'POST', `${path}/address`, { shipTo: pick(ADDRESSES) });
      break;
    case 'reroute': {
      const [first] = await fulfillmentsOf(sim, channelKey, order.id);
      if (first) await call(sim.exceptions, 'POST', `${path}/reroute`, { fulfillmentId: first.id, reason: 'location short-staffed' });
      break;
    }
    default:
      break;
  }
  const fulfillments = await fulfillmentsOf(sim, channelKey, order.id);
  for (const f of fulfillments) await work(sim, f, ending, channelKey);
  if (ending === 'complete' && chance(0.5)) await playReturn(sim, channelKey, order.id);
  if (ending === 'short_pick' || ending === 'reject') {
    // The re-routed units get a new fulfillment; work it to the end.
    const again = await until(() => must(channelKey, 'GET', path), (o) => o.fulfillments.length > fulfillments.length, 10_000);
    for (const f of again.fulfillments.slice(fulfillments.length)) {
      await until(() => call(sim.associate, 'GET', `/v1/fulfillments/${f.id}`), (r) => r.status === 200);
      await work(sim, f, 'complete', channelKey);
    }
  }
}


async function main(): Promise<void> {
  const health = await fetch(`${apiUrl}/ready`).catch(() => undefined);
  if (!health?.ok) {
    console.error(`simulate: the API at ${apiUrl} is not ready; start it with \`npm start\``);
    process.exit(2);
  }
  const channels: Record<string, string> = {};
  for (const channel of ['web', 'app', 'marketplace', 'pos']) channels[channel] = await newKey({ name: `simulator ${channel}`, role: 'channel', channel });
  const locations = (await must(adminKey!, 'GET', '/v1/locations')).items.map((l: { id: string }) => l.id);
  const associate = await newKey({ name: 'simulator associates', role: 'associate', locationIds: locations });
  // A carrier key speaks for one carrier: one key each, made when the carrier first ships.
  const carrierKeys = new Map<string, Promise<string>>();
  const carrier = (name: string): Promise<string> => {
    if (!carrierKeys.has(name)) carrierKeys.set(name, newKey({ name: `simulator carrier ${name}`, role: 'carrier', carrier: name }));
    return carrierKeys.get(name)!;
  };
  const exceptions = await newKey({ name: 'simulator exceptions team', role: 'exceptions' });
  const runId = Date.now().toString(36);
  const tally = new Map<string, number>();
  const sim: Sim = { channels, associate, carrier, exceptions, runId, tally };

  const total = Number(args.orders);
  let next = 0;
  let failed = 0;
  const workers = Array.from({ length: Number(args.concurrency) }, async () => {
    while (next < total) {
      const n = ++next;
      try {
        await playOrder(sim, n);
        process.stdout.write('.');
      } catch (err) {
        failed += 1;
        process.stdout.write('x');
        console.error(`\nsimulate: order ${n}: ${(err as Error).message}`);
      }
    }
  });
  await Promise.all(workers);
  console.log(`\nsimulate: ${total} orders placed (${failed} failed)`);
  for (const [ending, count] of [...tally].sort()) console.log(`  ${ending.padEnd(18)} ${count}`);
  const ui = `http://localhost:${config.temporalUiPort}/namespaces/${config.temporalNamespace}/workflows`;
  console.log(`\nTemporal UI: ${ui}`);
  console.log(`  on hold:          ${ui}?query=${encodeURIComponent("OnHold=true")}`);
  console.log(`  at STORE-001:     ${ui}?query=${encodeURIComponent("FulfillmentLocations='STORE-001' AND ExecutionStatus='Running'")}`);
  console.log(`  ready for pickup: ${ui}?query=${encodeURIComponent("OrderStatus='ready_for_pickup'")}`);
  if (failed > 0) process.exitCode = 1;
}

await main();

// `npm run bench:learning`: routing that learns, in simulation. The demo network (3 DCs, 12
// stores, a dark store), each location with its own handling cost (2.00–3.00, drawn once), ships
// 2,000 generated orders around Chicagoland. Four stores - the two cheapest, where a cost router
// sends the most, and two drawn at random - secretly short-pick or reject 15% of their
// fulfillments and hand 35% over late (1–2 days); the others 2% and 5%. The same orders are routed twice by the production engine:
//   - static: the built-in lowest-cost profile;
//   - learning: cost and `reliability` (weights 1 and BENCH_RELIABILITY_WEIGHT), reading what
//     domain/sourcing/learning.ts learned from the outcomes so far, refreshed every 100 orders
//     (a "night"), promises on learned transit days.
// A failed fulfillment is routed again without its location (same profile), its cost added.
// Prints late and failed fulfillments and the cost per order for both; target: the learning
// profile cuts late-or-failed by ≥ 30% at ≤ 3% more cost.
import { DEFAULT_CARRIER_SERVICES } from '../domain/shipping/carrier-services.ts';
import { SourcingEngine, type EngineInput, type EngineLocation, type PlannedFulfillment } from '../domain/sourcing/index.ts';
import { learnedOf, summarizeNetwork, zoneOf, type FulfillmentOutcome, type LearnedLocation } from '../domain/sourcing/learning.ts';
import { DEFAULT_PROFILE, RoutingProfileInput, type RoutingProfile } from '../domain/sourcing/profile.ts';
import { demoLocations, demoSkus } from '../scripts/lib/demo-network.ts';
import { rng } from './lib/demand.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const NIGHT = 100;
const WEIGHT = Number(process.env.BENCH_RELIABILITY_WEIGHT ?? 1);
const random = rng(20261206);

const network = demoLocations();
const skus = demoSkus();
// Handling costs differ by location (labour, rent): 2.00–3.00 a fulfillment, drawn once.
const handling = new Map(network.map(([id]) => [id, 200 + Math.floor(random() * 101)]));
const storeIds = network.filter(([, l]) => l.type === 'store').map(([id]) => id);
// Trouble shows first where a cost router sends the most: the two cheapest stores are shaky, and two others drawn at random.
const shaky = new Set<string>([...storeIds].sort((a, b) => handling.get(a)! - handling.get(b)! || a.localeCompare(b)).slice(0, 2));
while (shaky.size < 4) shaky.add(storeIds[Math.floor(random() * storeIds.length)]!);
const truth = (id: string) => (shaky.has(id) ? { fail: 0.15, late: 0.35 } : { fail: 0.02, late: 0.05 });

const baseLocations: EngineLocation[] = network.map(([id, l]) => ({
  id,
  type: l.type,
  active: true,
  geo: l.geo,
  timezone: l.timezone,
  capabilities: l.capabilities,
  dailyOrderCapacity: null,
  todayLoad: 0,
  handlingCost: handling.get(id)!,
  priority: l.priority ?? 0,
  allowedForChannel: true,
  ...(l.openingHours ? { openingHours: l.openingHours } : {}),
}));
const stock = new Map(baseLocations.map((l) => [l.id, new Map(skus.map((s) => [s.sku, 1_000]))]));
const profiles = {
  static: DEFAULT_PROFILE,
  learning: { ...DEFAULT_PROFILE, id: 'learning', ...RoutingProfileInput.parse({ name: 'Learning', weights: { cost: 1, reliability: WEIGHT } }) } as RoutingProfile,
};

// The orders: a destination within ~170 km of the Loop (Chicagoland and the towns around it), 1–3 lines, a time in the working day.
const orders = Array.from({ length: ORDERS }, (_, i) => ({
  destination: { lat: 41.88 + (random() - 0.5) * 3, lon: -87.75 + (random() - 0.5) * 3 },
  lines: Array.from({ length: 1 + Math.floor(random() * 3) }, (_, j) => {
    const s = skus[Math.floor(random() * skus.length)]!;
    return { lineId: String(j + 1), sku: s.sku, quantity: 1, weightGrams: s.weightGrams };
  }).filter((l, j, all) => all.findIndex((x) => x.sku === l.sku) === j),
  now: new Date(Date.parse('2026-11-02T15:00:00Z') + Math.floor(i / 100) * 86_400_000 + (i % 100) * 250_000),
  // What happens at each location for this order, drawn once so both profiles meet the same luck.
  luck: new Map(baseLocations.map((l) => [l.id, { fail: random(), late: random(), delay: 1 + Math.floor(random() * 2) }])),
}));

interface Tally {
  fulfillments: number;
  atShaky: number;
  firstCost: number;
  failed: number;
  late: number;
  cost: number;
  rerouted: number;
}

function run(profile: RoutingProfile, learns: boolean): Tally {
  const engine = new SourcingEngine();
  const outcomes: FulfillmentOutcome[] = [];
  let learned = new Map<string, LearnedLocation>();
  const tally: Tally = { firstCost: 0, atShaky: 0, fulfillments: 0, failed: 0, late: 0, cost: 0, rerouted: 0 };
  const plan = (o: (typeof orders)[number], excluded: string[], lines = o.lines) => {
    const input: EngineInput = {
      order: { method: 'ship', serviceLevel: 'standard', destination: o.destination, lines },
      locations: baseLocations.map((l) => (learns && learned.has(l.id) ? { ...l, learned: learned.get(l.id)! } : l)),
      stock,
      now: o.now,
      profile,
      carrierServices: DEFAULT_CARRIER_SERVICES,
      excludedLocationIds: excluded,
    };
    return engine.plan(input);
  };
  const tableDays = (f: PlannedFulfillment) => {
    const service = DEFAULT_CARRIER_SERVICES.find((s) => s.carrier === f.carrier && s.service === f.service);
    return service?.zones.find((z) => (f.distanceKm ?? 0) <= z.maxKm)?.transitDays ?? 1;
  };
  orders.forEach((o, i) => {
    if (learns && i % NIGHT === 0 && outcomes.length) {
      const { locations } = summarizeNetwork(baseLocations.map((l) => l.id), outcomes);
      learned = new Map(locations.map((p) => [p.locationId, learnedOf(p)]));
    }
    const first = plan(o, []);
    tally.cost += first.totalCost;
    tally.firstCost += first.totalCost;
    for (const f of first.fulfillments) {
      const luck = o.luck.get(f.locationId)!;
      const t = truth(f.locationId);
      const failed = luck.fail < t.fail;
      const late = !failed && luck.late < t.late;
      tally.fulfillments += 1;
      if (shaky.has(f.locationId)) tally.atShaky += 1;
      if (failed) tally.failed += 1;
      if (late) tally.late += 1;
      const table = tableDays(f);
      outcomes.push({
        locationId: f.locationId,
        carrier: f.carrier ?? null,
        zone: zoneOf(f.distanceKm),
        onTime: failed ? null : !late,
        complete: !failed,
        shortPicked: failed && luck.fail < t.fail / 2,
        rejected: failed && luck.fail >= t.fail / 2,
        missedPickSla: false,
        transitDays: failed ? null : table + (late ? luck.delay : 0),
        tableTransitDays: table,
      });
      if (failed) {
        const again = plan(o, [f.locationId], o.lines.filter((l) => f.lines.some((x) => x.lineId === l.lineId)));
        tally.cost += again.totalCost;
        tally.rerouted += 1;
      }
    }
  });
  return tally;
}

const started = performance.now();
const fixed = run(profiles.static, false);
const learning = run(profiles.learning, true);
const seconds = (performance.now() - started) / 1000;
const pct = (n: number, d: number) => `${((n / d) * 100).toFixed(2)}%`;
const lateOrFailed = (t: Tally) => (t.failed + t.late) / t.fulfillments;

console.log(`\n${ORDERS} orders on the demo network; shaky stores: ${[...shaky].sort().join(', ')} (${seconds.toFixed(1)} s for both runs)`);
console.log(`${''.padEnd(26)}${'static (cost)'.padStart(16)}${`learning (w=${WEIGHT})`.padStart(18)}`);
const rows: [string, (t: Tally) => string][] = [
  ['fulfillments', (t) => String(t.fulfillments)],
  ['at the shaky stores', (t) => pct(t.atShaky, t.fulfillments)],
  ['failed (short / rejected)', (t) => pct(t.failed, t.fulfillments)],
  ['late against the promise', (t) => pct(t.late, t.fulfillments)],
  ['late or failed', (t) => pct(t.failed + t.late, t.fulfillments)],
  ['re-routed', (t) => String(t.rerouted)],
  ['plan cost per order (cents)', (t) => (t.firstCost / ORDERS).toFixed(1)],
  ['with re-routes (cents)', (t) => (t.cost / ORDERS).toFixed(1)],
];
for (const [label, cell] of rows) console.log(`${label.padEnd(26)}${cell(fixed).padStart(16)}${cell(learning).padStart(18)}`);
const cut = 1 - lateOrFailed(learning) / lateOrFailed(fixed);
const extra = learning.cost / fixed.cost - 1;
const upfront = learning.firstCost / fixed.firstCost - 1;
console.log(`\nLate or failed cut by ${(cut * 100).toFixed(1)}% (target ≥ 30%) ${cut >= 0.3 ? 'ok' : 'MISSED'}; cost ${extra >= 0 ? '+' : ''}${(extra * 100).toFixed(2)}% (target ≤ +3%) ${extra <= 0.03 ? 'ok' : 'MISSED'}; the plans alone cost ${upfront >= 0 ? '+' : ''}${(upfront * 100).toFixed(2)}%`);

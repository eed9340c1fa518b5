// The demo network `npm start` seeds: two markets. The US one is a metro area (Chicagoland)
// with real coordinates: three warehouses, a dozen stores and a dark store. Germany (EUR,
// Berlin time, channel web-de) has a Berlin DC and two stores. ~50 SKUs with valid GTINs, and stock.
// Idempotent: re-running changes nothing that already exists.
import { createHmac } from 'node:crypto';
import type { Db } from '../../db/knex.ts';
import { createApiKeysRepository } from '../../db/repositories/api-keys.ts';
import { createInventoryRepository } from '../../db/repositories/inventory.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createRoutingRepository } from '../../db/repositories/routing.ts';
import { RoutingProfileInput } from '../../domain/sourcing/profile.ts';
import { withCheckDigit } from '../../domain/gtin.ts';
import type { LocationInput } from '../../domain/network/schemas.ts';
import { MarketInput } from '../../domain/markets/schemas.ts';
import { createMarketsRepository } from '../../db/repositories/markets.ts';
import type { Role } from '../../domain/access/roles.ts';

const TZ = 'America/Chicago';
const allCaps = { ship: true, pickup: true, curbside: true, sameDay: true, returns: true };
const warehouseCaps = { ship: true, pickup: false, curbside: false, sameDay: false, returns: true };
const darkStoreCaps = { ship: true, pickup: false, curbside: false, sameDay: true, returns: false };

/** street, city, postal code: printed as the ship-from on labels (illustrative addresses, not the real businesses there). */
type Site = [id: string, name: string, lat: number, lon: number, street: [line1: string, city: string, postalCode: string]];

const warehouses: Site[] = [
  ['WH-ELK-GROVE', 'Elk Grove Village DC', 42.0039, -87.9703, ['1200 Busse Rd', 'Elk Grove Village', '60007']],
  ['WH-JOLIET', 'Joliet DC', 41.525, -88.0817, ['2100 Channahon Rd', 'Joliet', '60436']],
  ['WH-GARY', 'Gary DC', 41.5934, -87.3464, ['6300 Industrial Hwy', 'Gary', '46406']],
];

const stores: Site[] = [
  ['STORE-001', 'State Street (Loop)', 41.8827, -87.6278, ['1 N State St', 'Chicago', '60602']],
  ['STORE-002', 'Lincoln Park', 41.9214, -87.6513, ['2400 N Clark St', 'Chicago', '60614']],
  ['STORE-003', 'Wicker Park', 41.9088, -87.6796, ['1600 N Milwaukee Ave', 'Chicago', '60647']],
  ['STORE-004', 'Hyde Park', 41.7943, -87.5907, ['1500 E 53rd St', 'Chicago', '60615']],
  ['STORE-005', 'Evanston', 42.0451, -87.6877, ['1700 Sherman Ave', 'Evanston', '60201']],
  ['STORE-006', 'Oak Park', 41.885, -87.7845, ['1100 Lake St', 'Oak Park', '60301']],
  ['STORE-007', 'Schaumburg', 42.0334, -88.0834, ['5 Woodfield Mall', 'Schaumburg', '60173']],
  ['STORE-008', 'Naperville', 41.7508, -88.1535, ['50 S Main St', 'Naperville', '60540']],
  ['STORE-009', 'Skokie', 42.0324, -87.7416, ['4999 Old Orchard Ctr', 'Skokie', '60077']],
  ['STORE-010', 'Oak Brook', 41.8328, -87.9289, ['100 Oakbrook Ctr', 'Oak Brook', '60523']],
  ['STORE-011', 'Orland Park', 41.6303, -87.8539, ['288 Orland Square Dr', 'Orland Park', '60462']],
  ['STORE-012', 'Aurora', 41.7606, -88.3201, ['44 W Galena Blvd', 'Aurora', '60506']],
];

const darkStores: Site[] = [['DS-WEST-LOOP', 'West Loop dark store', 41.8826, -87.6472, ['900 W Randolph St', 'Chicago', '60607']]];

const catalogue = [
  'Trail Running Shoe', 'Merino Crew Sock', 'Rain Shell Jacket', 'Down Vest', 'Fleece Pullover',
  'Insulated Bottle 750ml', 'Camp Mug', 'Headlamp 400lm', 'Trekking Poles', 'Daypack 22L',
  'Hydration Bladder 2L', 'Sun Hoodie', 'Wool Beanie', 'Touchscreen Gloves', 'Packable Hat',
  'Sleeping Bag 20F', 'Sleeping Pad', 'Two-Person Tent', 'Camp Stove', 'Fuel Canister',
  'Water Filter', 'First Aid Kit', 'Compass', 'Multi-tool', 'Bear Canister',
  'Running Short', 'Base Layer Top', 'Base Layer Bottom', 'Softshell Pant', 'Hiking Boot',
  'Sandal', 'Gaiters', 'Dry Bag 10L', 'Trail Mix Pack', 'Energy Gel 12-pack',
  'Sunscreen SPF50', 'Bug Spray', 'Hammock', 'Camp Chair', 'Lantern',
  'Cooler 20qt', 'Rain Pants', 'Puffy Jacket', 'Running Vest', 'GPS Watch',
  'Bike Helmet', 'Bike Light Set', 'Cycling Jersey', 'Yoga Mat', 'Foam Roller',
];

function location(site: Site, type: LocationInput['type'], capabilities: LocationInput['capabilities'], extra: Partial<LocationInput>): [string, LocationInput] {
  const [id, name, lat, lon, [line1, city, postalCode]] = site;
  const region = postalCode.startsWith('46') ? 'IN' : 'IL';
  return [id, { name, type, geo: { lat, lon }, timezone: TZ, active: true, capabilities, marketId: 'us', address: { name: `Fulcrum Outdoor — ${name}`, line1, city, region, postalCode, country: 'US' }, ...extra }];
}

/** The second market: Germany, in euros, on Berlin time, with the built-in euro carriers (PaketPost, StadtKurier). */
const germany: [id: string, type: LocationInput['type'], name: string, lat: number, lon: number, street: [string, string, string]][] = [
  ['DE-BERLIN-DC', 'warehouse', 'Berlin DC', 52.4323, 13.5414, ['Am Studio 20', 'Berlin', '12489']],
  ['DE-STORE-MITTE', 'store', 'Berlin Mitte', 52.5219, 13.4132, ['Alexanderplatz 9', 'Berlin', '10178']],
  ['DE-STORE-MUENCHEN', 'store', 'München Marienplatz', 48.1374, 11.5755, ['Kaufingerstraße 28', 'München', '80331']],
];

export const DEMO_MARKETS: Record<string, MarketInput> = {
  us: { name: 'United States', countries: ['US'], currency: 'USD', timezone: TZ, channels: ['web', 'marketplace', 'app', 'pos'] },
  de: { name: 'Deutschland', countries: ['DE', 'AT'], currency: 'EUR', timezone: 'Europe/Berlin', channels: ['web-de'], returnPolicy: { windowDays: 30 }, language: 'de', dataRegion: 'eu-central' },
};

function germanLocations(): [string, LocationInput][] {
  return germany.map(([id, type, name, lat, lon, [line1, city, postalCode]]) => [
    id,
    {
      name,
      type,
      geo: { lat, lon },
      timezone: 'Europe/Berlin',
      active: true,
      capabilities: type === 'warehouse' ? warehouseCaps : allCaps,
      marketId: 'de',
      priority: type === 'warehouse' ? 10 : 5,
      handlingCost: { amount: type === 'warehouse' ? 140 : 320, currency: 'EUR' },
      address: { name: `Fulcrum Outdoor — ${name}`, line1, city, region: city === 'Berlin' ? 'BE' : 'BY', postalCode, country: 'DE' },
      ...(type === 'store' ? { openingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], open: '10:00', close: '20:00' }] } : {}),
    } satisfies LocationInput,
  ]);
}

export function demoLocations(): [string, LocationInput][] {
  return [
    ...warehouses.map((s) => location(s, 'warehouse', warehouseCaps, { priority: 10, dailyOrderCapacity: 5000, handlingCost: { amount: 150, currency: 'USD' } })),
    ...stores.map((s) =>
      location(s, 'store', allCaps, {
        priority: 5,
        dailyOrderCapacity: 120,
        handlingCost: { amount: 350, currency: 'USD' },
        openingHours: [
          { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], open: '09:00', close: '21:00' },
          { days: ['sun'], open: '10:00', close: '18:00' },
        ],
      }),
    ),
    ...darkStores.map((s) => location(s, 'dark_store', darkStoreCaps, { priority: 8, dailyOrderCapacity: 800, handlingCost: { amount: 250, currency: 'USD' } })),
    ...germanLocations(),
  ];
}

export function demoSkus(): { sku: string; name: string; gtin: string; weightGrams: number }[] {
  return catalogue.map((name, index) => {
    const n = String(index + 1).padStart(3, '0');
    // GS1 company prefix 0614141 (the GS1 documentation's example prefix) + item reference.
    return { sku: `SKU-${n}`, name, gtin: withCheckDigit(`0614141${String(10000 + index)}`), weightGrams: 100 + ((index * 137) % 2400) };
  });
}

/** Deterministic stock: warehouses deep, stores shallow with gaps, so routing has real choices. */
function demoOnHand(locationIndex: number, skuIndex: number, type: string): number {
  const h = (locationIndex * 7919 + skuIndex * 104729) % 97;
  if (type === 'warehouse') return 40 + (h % 160);
  if (type === 'dark_store') return h % 3 === 0 ? 0 : 10 + (h % 30);
  return h % 4 === 0 ? 0 : h % 12;
}

export interface DemoKey {
  name: string;
  role: Role;
  key: string;
  channel?: string;
  locationIds?: string[];
  carrier?: string;
}

/** Demo keys are derived from the admin key, so every restart prints the same ones. */
export function demoKeys(adminKey: string): DemoKey[] {
  const derive = (label: string) => `fk_demo_${createHmac('sha256', adminKey).update(label).digest('base64url').slice(0, 32)}`;
  return [
    { name: 'Demo web shop', role: 'channel', channel: 'web', key: derive('channel:web') },
    { name: 'Demo marketplace', role: 'channel', channel: 'marketplace', key: derive('channel:marketplace') },
    { name: 'Demo web shop, Germany (EUR)', role: 'channel', channel: 'web-de', key: derive('channel:web-de') },
    { name: 'Demo associate (State Street)', role: 'associate', locationIds: ['STORE-001'], key: derive('associate:STORE-001') },
    { name: 'Demo ops', role: 'ops', key: derive('ops') },
    { name: 'Demo exceptions team', role: 'exceptions', key: derive('exceptions') },
    { name: 'Demo carrier (ParcelCo)', role: 'carrier', carrier: 'ParcelCo', key: derive('carrier') },
    { name: 'Demo carrier (PaketPost)', role: 'carrier', carrier: 'PaketPost', key: derive('carrier:PaketPost') },
  ];
}

/** Seeds the demo; `dataRegions` are the regions the deployment has payload keys for (a market's other region is left out). */
export async function seedDemoNetwork(db: Db, adminKey: string, dataRegions: readonly string[]): Promise<DemoKey[]> {
  const network = createNetworkRepository(db);
  const inventory = createInventoryRepository(db);
  const apiKeys = createApiKeysRepository(db);

  const markets = createMarketsRepository(db);
  for (const [id, { dataRegion, ...market }] of Object.entries(DEMO_MARKETS)) {
    const keptTo = dataRegion && dataRegions.includes(dataRegion) ? { dataRegion } : {};
    if (!(await markets.get(id))) await markets.put(id, MarketInput.parse({ ...market, ...keptTo }));
  }
  const locations = demoLocations();
  for (const [id, input] of locations) {
    if (!(await network.getLocation(id))) await network.upsertLocation(id, input);
  }
  const skus = demoSkus();
  for (const { sku, ...input } of skus) {
    if (!(await network.getSku(sku))) await network.upsertSku(sku, input);
  }
  for (const [li, [locationId, input]] of locations.entries()) {
    for (const [si, { sku }] of skus.entries()) {
      // The ledger key makes the seed count happen once; later counts and orders are kept.
      await inventory.setCount({
        locationId,
        sku,
        onHand: demoOnHand(li, si, input.type),
        safetyStock: input.type === 'store' ? 1 : 0,
        idempotencyKey: `seed:${locationId}:${sku}`,
        actor: 'seed',
      });
    }
  }
  // The app's pickups may bring stock from a nearby location by transfer (ready a day later).
  const routing = createRoutingRepository(db);
  if (!(await routing.getProfile('app-pickup-by-transfer'))) {
    await routing.putProfile(
      'app-pickup-by-transfer',
      RoutingProfileInput.parse({ name: 'App: pickup by transfer', appliesTo: { channels: ['app'] }, pickupTransfer: { enabled: true, maxDistanceKm: 60, leadDays: 1 } }),
      'seed',
    );
  }
  const keys = demoKeys(adminKey);
  for (const demo of keys) {
    // The ParcelCo key keeps the id the demo's one carrier key had.
    const binding = demo.channel ?? demo.locationIds?.[0] ?? (demo.carrier && demo.carrier !== 'ParcelCo' ? demo.carrier : 'all');
    const id = `key_demo_${demo.role}_${binding}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    await apiKeys.install(
      demo.key,
      { id, name: demo.name, role: demo.role, ...(demo.channel ? { channel: demo.channel } : {}), ...(demo.locationIds ? { locationIds: demo.locationIds } : {}), ...(demo.carrier ? { carrier: demo.carrier } : {}) },
      'demo',
    );
  }
  return keys;
}

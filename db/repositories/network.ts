// Locations and SKUs: rows ↔ API shapes.
import type { Db } from '../knex.ts';
import type { Capabilities, FulfillmentPolicy, Location, LocationInput, OpeningHours, Sku, SkuInput } from '../../domain/network/schemas.ts';
import type { Address } from '../../domain/orders/schemas.ts';

interface DbLocationRow {
  id: string;
  name: string;
  type: Location['type'];
  lat: number;
  lon: number;
  timezone: string;
  active: boolean;
  capabilities: Capabilities;
  daily_order_capacity: number | null;
  priority: number | null;
  handling_cost_amount: number | null;
  handling_cost_currency: string | null;
  opening_hours: OpeningHours | null;
  fulfillment_policy: FulfillmentPolicy | null;
  address: Address | null;
  market_id: string | null;
  created_at: Date;
  updated_at: Date;
}

interface DbSkuRow {
  sku: string;
  name: string;
  gtin: string | null;
  weight_grams: number;
  created_at: Date;
  updated_at: Date;
}

function toLocation(row: DbLocationRow): Location {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    geo: { lat: row.lat, lon: row.lon },
    timezone: row.timezone,
    active: row.active,
    capabilities: row.capabilities,
    ...(row.daily_order_capacity !== null ? { dailyOrderCapacity: row.daily_order_capacity } : {}),
    ...(row.priority !== null ? { priority: row.priority } : {}),
    ...(row.handling_cost_amount !== null && row.handling_cost_currency !== null
      ? { handlingCost: { amount: row.handling_cost_amount, currency: row.handling_cost_currency } }
      : {}),
    ...(row.opening_hours ? { openingHours: row.opening_hours } : {}),
    ...(row.fulfillment_policy ? { fulfillmentPolicy: row.fulfillment_policy } : {}),
    ...(row.address ? { address: row.address } : {}),
    ...(row.market_id ? { marketId: row.market_id } : {}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toSku(row: DbSkuRow): Sku {
  return {
    sku: row.sku,
    name: row.name,
    ...(row.gtin !== null ? { gtin: row.gtin } : {}),
    weightGrams: row.weight_grams,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function createNetworkRepository(db: Db) {
  return {
    async upsertLocation(id: string, input: LocationInput): Promise<{ location: Location; created: boolean }> {
      const values = {
        id,
        name: input.name,
        type: input.type,
        lat: input.geo.lat,
        lon: input.geo.lon,
        timezone: input.timezone,
        active: input.active,
        capabilities: JSON.stringify(input.capabilities),
        daily_order_capacity: input.dailyOrderCapacity ?? null,
        priority: input.priority ?? null,
        handling_cost_amount: input.handlingCost?.amount ?? null,
        handling_cost_currency: input.handlingCost?.currency ?? null,
        opening_hours: input.openingHours ? JSON.stringify(input.openingHours) : null,
        fulfillment_policy: input.fulfillmentPolicy ? JSON.stringify(input.fulfillmentPolicy) : null,
        address: input.address ? JSON.stringify(input.address) : null,
        market_id: input.marketId ?? null,
      };
      const [row] = await db('locations')
        .insert(values)
        .onConflict('id')
        .merge({ ...values, updated_at: db.fn.now() })
        .returning(db.raw('*, (xmax = 0) AS inserted'));
      const { inserted, ...location } = row as DbLocationRow & { inserted: boolean };
      return { location: toLocation(location), created: inserted };
    },

    async getLocation(id: string): Promise<Location | undefined> {
      const row = await db<DbLocationRow>('locations').where({ id }).first();
      return row ? toLocation(row) : undefined;
    },

    async listLocations(): Promise<Location[]> {
      const rows = await db<DbLocationRow>('locations').orderBy('id');
      return rows.map(toLocation);
    },

    /** The ids among `ids` that exist. */
    async existingLocationIds(ids: readonly string[]): Promise<Set<string>> {
      const rows = await db('locations').whereIn('id', [...new Set(ids)]).select('id');
      return new Set(rows.map((r: { id: string }) => r.id));
    },

    async upsertSku(sku: string, input: SkuInput): Promise<{ sku: Sku; created: boolean }> {
      const values = { sku, name: input.name, gtin: input.gtin ?? null, weight_grams: input.weightGrams };
      const [row] = await db('skus')
        .insert(values)
        .onConflict('sku')
        .merge({ ...values, updated_at: db.fn.now() })
        .returning(db.raw('*, (xmax = 0) AS inserted'));
      const { inserted, ...skuRow } = row as DbSkuRow & { inserted: boolean };
      return { sku: toSku(skuRow), created: inserted };
    },

    async getSku(sku: string): Promise<Sku | undefined> {
      const row = await db<DbSkuRow>('skus').where({ sku }).first();
      return row ? toSku(row) : undefined;
    },

    /** The SKU that already carries `gtin`, if any other than `exceptSku`. */
    async skuWithGtin(gtin: string, exceptSku: string): Promise<string | undefined> {
      const row = await db('skus').where({ gtin }).whereNot({ sku: exceptSku }).first('sku');
      return (row as { sku: string } | undefined)?.sku;
    },

    async skuWeights(skus: readonly string[]): Promise<Map<string, number>> {
      const rows = (await db('skus').whereIn('sku', [...new Set(skus)]).select('sku', 'weight_grams')) as { sku: string; weight_grams: number }[];
      return new Map(rows.map((r) => [r.sku, r.weight_grams]));
    },

    async existingSkus(skus: readonly string[]): Promise<Set<string>> {
      const rows = await db('skus').whereIn('sku', [...new Set(skus)]).select('sku');
      return new Set(rows.map((r: { sku: string }) => r.sku));
    },
  };
}

export type NetworkRepository = ReturnType<typeof createNetworkRepository>;

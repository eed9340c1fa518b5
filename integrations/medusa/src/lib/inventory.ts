// Fulcrum → Medusa stock: each mapped stock location's level of a SKU is set so Medusa's
// available quantity (stocked − reserved) equals Fulcrum's available units there. Medusa's own
// reservations stay as they are (its fulfilment workflow consumes them), so the stocked
// quantity written is Fulcrum's available plus what Medusa has reserved at that level.
import type { MedusaContainer } from '@medusajs/framework/types';
import { ContainerRegistrationKeys } from '@medusajs/framework/utils';
import { batchInventoryItemLevelsWorkflow } from '@medusajs/medusa/core-flows';
import { FulcrumRefused } from './fulcrum-client';
import { locationMap } from './locations';
import { amountOf } from './money';
import type FulcrumModuleService from '../modules/fulcrum/service';

interface Availability {
  items: { sku: string; locations: { locationId: string; available: number }[] }[];
}

interface InventoryItem {
  id: string;
  sku?: string | null;
  location_levels?: { location_id: string; stocked_quantity: unknown; reserved_quantity: unknown }[] | null;
}

const BATCH = 100;

/** Fulcrum's available units per SKU and Fulcrum location; SKUs Fulcrum does not know are left out. */
async function fulcrumAvailability(fulcrumModule: FulcrumModuleService, skus: string[]): Promise<Map<string, Map<string, number>>> {
  const result = new Map<string, Map<string, number>>();
  let ask = skus;
  for (let tries = 0; tries < 2 && ask.length > 0; tries += 1) {
    try {
      const qs = ask.map((s) => `sku=${encodeURIComponent(s)}`).join('&');
      const body = await fulcrumModule.call<Availability>(undefined, 'GET', `/v1/availability?${qs}`);
      for (const item of body.items) result.set(item.sku, new Map(item.locations.map((l) => [l.locationId, l.available])));
      return result;
    } catch (err) {
      if (!(err instanceof FulcrumRefused) || err.status !== 422) throw err;
      const unknown = new Set(((err.problem.errors ?? []) as { path?: string }[]).map((e) => Number(/query\.sku\[(\d+)\]/.exec(e.path ?? '')?.[1])).filter(Number.isInteger).map((i) => ask[i]));
      if (unknown.size === 0) throw err;
      ask = ask.filter((s) => !unknown.has(s));
    }
  }
  return result;
}

export interface InventorySyncResult {
  levels: number;
  changed: number;
}

/** Syncs the given SKUs, or every SKU with an inventory item when none are named. */
export async function syncInventory(container: MedusaContainer, fulcrumModule: FulcrumModuleService, skus?: string[]): Promise<InventorySyncResult> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY);
  const { toFulcrum } = await locationMap(container, fulcrumModule.options);
  const { data } = await query.graph({
    entity: 'inventory_item',
    fields: ['id', 'sku', 'location_levels.location_id', 'location_levels.stocked_quantity', 'location_levels.reserved_quantity'],
    ...(skus ? { filters: { sku: skus } } : {}),
  });
  const items = (data as InventoryItem[]).filter((i): i is InventoryItem & { sku: string } => typeof i.sku === 'string' && i.sku !== '');
  const result: InventorySyncResult = { levels: 0, changed: 0 };
  for (let start = 0; start < items.length; start += BATCH) {
    const batch = items.slice(start, start + BATCH);
    const available = await fulcrumAvailability(fulcrumModule, batch.map((i) => i.sku));
    const updates: { inventory_item_id: string; location_id: string; stocked_quantity: number }[] = [];
    const creates: typeof updates = [];
    for (const item of batch) {
      const bySite = available.get(item.sku);
      if (!bySite) continue;
      for (const [medusaLocation, fulcrumLocation] of toFulcrum) {
        const level = (item.location_levels ?? []).find((l) => l.location_id === medusaLocation);
        const want = (bySite.get(fulcrumLocation) ?? 0) + (level ? amountOf(level.reserved_quantity) : 0);
        result.levels += 1;
        if (!level) {
          if (want > 0) creates.push({ inventory_item_id: item.id, location_id: medusaLocation, stocked_quantity: want });
        } else if (amountOf(level.stocked_quantity) !== want) {
          updates.push({ inventory_item_id: item.id, location_id: medusaLocation, stocked_quantity: want });
        }
      }
    }
    if (updates.length + creates.length > 0) {
      await batchInventoryItemLevelsWorkflow(container).run({ input: { create: creates, update: updates, delete: [] } });
      result.changed += updates.length + creates.length;
    }
  }
  return result;
}

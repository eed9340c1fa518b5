// Pick lists: which fulfillments a walk groups (in order) and the scans shared out to them.
import type { Db } from '../knex.ts';

export interface PickListRow {
  id: string;
  locationId: string;
  createdBy: string;
  createdAt: string;
  fulfillmentIds: string[];
}

export function createPickListsRepository(db: Db) {
  return {
    async create(list: { id: string; locationId: string; createdBy: string; fulfillmentIds: readonly string[] }): Promise<PickListRow> {
      return db.transaction(async (trx) => {
        const [row] = await trx('pick_lists').insert({ id: list.id, location_id: list.locationId, created_by: list.createdBy }).returning(['created_at']);
        await trx('pick_list_fulfillments').insert(list.fulfillmentIds.map((fulfillmentId, position) => ({ pick_list_id: list.id, fulfillment_id: fulfillmentId, position })));
        return { id: list.id, locationId: list.locationId, createdBy: list.createdBy, createdAt: (row as { created_at: Date }).created_at.toISOString(), fulfillmentIds: [...list.fulfillmentIds] };
      });
    },

    async get(id: string): Promise<PickListRow | undefined> {
      const row = (await db('pick_lists').where({ id }).first()) as { id: string; location_id: string; created_by: string; created_at: Date } | undefined;
      if (!row) return undefined;
      const members = (await db('pick_list_fulfillments').where({ pick_list_id: id }).orderBy('position').select('fulfillment_id')) as { fulfillment_id: string }[];
      return { id: row.id, locationId: row.location_id, createdBy: row.created_by, createdAt: row.created_at.toISOString(), fulfillmentIds: members.map((m) => m.fulfillment_id) };
    },

    async recordScan(scan: { pickListId: string; barcode: string; quantity: number; shares: unknown; by: string }): Promise<void> {
      await db('pick_list_scans').insert({ pick_list_id: scan.pickListId, barcode: scan.barcode, quantity: scan.quantity, shares: JSON.stringify(scan.shares), scanned_by: scan.by });
    },
  };
}

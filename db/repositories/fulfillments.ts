// The fulfillments read model: each location's work queue, the lookup from a carrier's
// tracking number to its fulfillment, and the fallback view once a workflow has closed.
// Written only by the fulfillment workflow's activity, guarded by revision.
import type { Db } from '../knex.ts';
import type { FulfillmentResource } from '../../domain/fulfillments/schemas.ts';
import type { FulfillmentStatus } from '../../domain/orders/schemas.ts';
import { appendEvents, type BusinessEvent } from './outbox.ts';

interface DbFulfillmentRow {
  id: string;
  order_id: string;
  location_id: string;
  method: string;
  status: FulfillmentStatus;
  tracking_number: string | null;
  customer_arrived_at: Date | null;
  snapshot: FulfillmentResource;
  revision: number;
}

export function createFulfillmentsRepository(db: Db) {
  return {
    async saveSnapshot(fulfillment: FulfillmentResource, revision: number, events: readonly BusinessEvent[] = []): Promise<void> {
      await db.transaction(async (trx) => {
        await appendEvents(trx, events);
        const values = {
          id: fulfillment.id,
          order_id: fulfillment.orderId,
          location_id: fulfillment.locationId,
          method: fulfillment.method,
          status: fulfillment.status,
          tracking_number: fulfillment.trackingNumber ?? null,
          customer_arrived_at: fulfillment.customerArrivedAt ? new Date(fulfillment.customerArrivedAt) : null,
          snapshot: JSON.stringify(fulfillment),
          revision,
          created_at: new Date(fulfillment.createdAt),
          updated_at: new Date(fulfillment.updatedAt),
        };
        await trx('fulfillments')
          .insert(values)
          .onConflict('id')
          .merge()
          .where('fulfillments.revision', '<', revision);
      });
    },

    async get(id: string): Promise<FulfillmentResource | undefined> {
      const row = await db<DbFulfillmentRow>('fulfillments').where({ id }).first();
      return row?.snapshot;
    },

    async ofOrder(orderId: string): Promise<FulfillmentResource[]> {
      const rows = await db<DbFulfillmentRow>('fulfillments').where({ order_id: orderId }).orderBy('created_at');
      return rows.map((r) => r.snapshot);
    },

    async byTrackingNumber(trackingNumber: string): Promise<FulfillmentResource | undefined> {
      const row = await db<DbFulfillmentRow>('fulfillments').where({ tracking_number: trackingNumber }).first();
      return row?.snapshot;
    },

    /**
     * A location's work queue: curbside customers already outside first (longest waiting
     * first), then the oldest work.
     */
    async queue(locationId: string, statuses: readonly FulfillmentStatus[], limit = 200): Promise<FulfillmentResource[]> {
      const rows = await db<DbFulfillmentRow>('fulfillments')
        .where({ location_id: locationId })
        .whereIn('status', [...statuses])
        .orderByRaw('customer_arrived_at ASC NULLS LAST, created_at ASC, id ASC')
        .limit(limit);
      return rows.map((r) => r.snapshot);
    },
  };
}

export type FulfillmentsRepository = ReturnType<typeof createFulfillmentsRepository>;

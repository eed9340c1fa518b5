// Returns: registration (guarded against over-returning under a lock on the order row), the
// read model the return workflow keeps current, received units per order line (the order's
// `returned` counts), and per-channel return policies.
import { createMarketsRepository } from './markets.ts';
import type { Db } from '../knex.ts';
import { DEFAULT_RETURN_POLICY, type ReturnPolicy, type ReturnResource } from '../../domain/returns/schemas.ts';
import { appendEvents, type BusinessEvent } from './outbox.ts';

interface DbReturnRow {
  id: string;
  order_id: string;
  snapshot: ReturnResource;
}

export function createReturnsRepository(db: Db) {
  const markets = createMarketsRepository(db);
  return {
    /**
     * Registers a return if `check` accepts it, given the units already asked back per line by
     * the order's other open or received returns. One at a time per order (row lock), so two
     * concurrent returns cannot together ask for more than the customer has.
     */
    async register<R extends { ok: boolean }>(
      resource: ReturnResource,
      check: (alreadyAsked: Map<string, number>) => R,
    ): Promise<R> {
      return db.transaction(async (trx) => {
        await trx('orders').where({ id: resource.orderId }).forUpdate().first('id');
        const rows = (await trx('return_lines').where({ order_id: resource.orderId, open: true }).select('line_id', 'quantity')) as { line_id: string; quantity: number }[];
        const asked = new Map<string, number>();
        for (const r of rows) asked.set(r.line_id, (asked.get(r.line_id) ?? 0) + r.quantity);
        const verdict = check(asked);
        if (!verdict.ok) return verdict;
        await trx('returns').insert({
          id: resource.id,
          order_id: resource.orderId,
          channel: resource.channel,
          rma: resource.rma,
          status: resource.status,
          method: resource.method,
          snapshot: JSON.stringify(resource),
          created_at: new Date(resource.createdAt),
          updated_at: new Date(resource.updatedAt),
        });
        await trx('return_lines').insert(resource.lines.map((l) => ({ return_id: resource.id, order_id: resource.orderId, line_id: l.lineId, quantity: l.quantity })));
        return verdict;
      });
    },

    async saveSnapshot(resource: ReturnResource, revision: number, events: readonly BusinessEvent[]): Promise<void> {
      await db.transaction(async (trx) => {
        await appendEvents(trx, events);
        const updated = await trx('returns')
          .where({ id: resource.id })
          .where('revision', '<', revision)
          .update({ status: resource.status, snapshot: JSON.stringify(resource), revision, updated_at: new Date(resource.updatedAt) });
        if (updated === 0) return;
        // Received units count as returned; an expired or cancelled return no longer holds back what it did not get.
        for (const line of resource.lines) {
          await trx('return_lines')
            .where({ return_id: resource.id, line_id: line.lineId })
            .update({ received: line.received, open: resource.status === 'open' || resource.status === 'received' || resource.status === 'refunded', quantity: resource.status === 'open' ? line.quantity : line.received });
        }
      });
    },

    async get(id: string): Promise<ReturnResource | undefined> {
      return (await db<DbReturnRow>('returns').where({ id }).first())?.snapshot;
    },

    /** Newest first, keyset-paged by id; a channel sees its own, an associate those of its locations. */
    async list(filter: { orderId?: string; status?: string; channel?: string; locationIds?: string[]; limit: number; before?: string }): Promise<ReturnResource[]> {
      const query = db<DbReturnRow>('returns').orderBy('id', 'desc').limit(filter.limit);
      if (filter.orderId) query.where({ order_id: filter.orderId });
      if (filter.status) query.where('status', filter.status);
      if (filter.channel) query.where('channel', filter.channel);
      if (filter.locationIds) query.whereRaw("snapshot->>'locationId' = ANY(?::text[])", [filter.locationIds]);
      if (filter.before) query.where('id', '<', filter.before);
      return (await query).map((r) => r.snapshot);
    },

    /** Units received back per line, per order (the order resource's `returned`). */
    async returnedByLine(orderIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
      const byOrder = new Map<string, Map<string, number>>();
      if (orderIds.length === 0) return byOrder;
      const rows = (await db('return_lines')
        .whereIn('order_id', [...orderIds])
        .where('received', '>', 0)
        .groupBy('order_id', 'line_id')
        .select('order_id', 'line_id')
        .sum({ received: 'received' })) as { order_id: string; line_id: string; received: string }[];
      for (const r of rows) {
        const lines = byOrder.get(r.order_id) ?? new Map<string, number>();
        lines.set(r.line_id, Number(r.received));
        byOrder.set(r.order_id, lines);
      }
      return byOrder;
    },

    /** The channel's own policy, else its market's return window, else the default. */
    async policy(channel: string): Promise<ReturnPolicy> {
      const row = await db('return_policies').where({ channel }).first();
      if (row) return { windowDays: row.window_days, receiptDays: row.receipt_days, exchangeBeforeReceipt: row.exchange_before_receipt };
      const marketWindow = (await markets.ofChannel(channel))?.returnPolicy?.windowDays;
      return marketWindow !== undefined ? { ...DEFAULT_RETURN_POLICY, windowDays: marketWindow } : DEFAULT_RETURN_POLICY;
    },

    async setPolicy(channel: string, policy: ReturnPolicy): Promise<ReturnPolicy> {
      const values = { channel, window_days: policy.windowDays, receipt_days: policy.receiptDays, exchange_before_receipt: policy.exchangeBeforeReceipt };
      await db('return_policies').insert(values).onConflict('channel').merge({ ...values, updated_at: db.fn.now() });
      return policy;
    },
  };
}

export type ReturnsRepository = ReturnType<typeof createReturnsRepository>;

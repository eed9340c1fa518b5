// The orders read model: registration (the idempotency guard for order creation) and
// the snapshots the order workflow writes through its activities.
import type { Db } from '../knex.ts';
import type { CreateOrderRequest, Order, OrderStatus } from '../../domain/orders/schemas.ts';
import { printable, printableDeep } from '../../domain/text.ts';
import { appendEvents, type BusinessEvent } from './outbox.ts';
import { whereTile } from './board.ts';
import type { BoardTileId } from '../../domain/console/board.ts';

type NeedsAttention = NonNullable<Order['needsAttention']>;

export interface OrderRow {
  id: string;
  channel: string;
  channelOrderId: string;
  requestHash: string;
  status: OrderStatus;
  customerId: string | null;
  onHold: boolean;
  fulfillmentLocations: string[];
  snapshot: Order | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
  needsAttention?: NeedsAttention;
}

interface DbOrderRow {
  id: string;
  channel: string;
  channel_order_id: string;
  request_hash: string;
  status: OrderStatus;
  customer_id: string | null;
  on_hold: boolean;
  fulfillment_locations: string[];
  snapshot: Order | null;
  revision: number;
  created_at: Date;
  updated_at: Date;
  needs_attention_since: Date | null;
  needs_attention_reason: string | null;
  needs_attention_activity: string | null;
}

/** The read model's columns (not the stored request, which only the intake sweep reads). */
const ROW_COLUMNS: string[] = [
  'id', 'channel', 'channel_order_id', 'request_hash', 'status', 'customer_id', 'on_hold', 'fulfillment_locations', 'snapshot',
  'revision', 'created_at', 'updated_at', 'needs_attention_since', 'needs_attention_reason', 'needs_attention_activity',
] satisfies (keyof DbOrderRow)[];

function toOrderRow(row: DbOrderRow): OrderRow {
  return {
    id: row.id,
    channel: row.channel,
    channelOrderId: row.channel_order_id,
    requestHash: row.request_hash,
    status: row.status,
    customerId: row.customer_id,
    onHold: row.on_hold,
    fulfillmentLocations: row.fulfillment_locations,
    snapshot: row.snapshot,
    revision: row.revision,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...(row.needs_attention_since
      ? { needsAttention: { since: row.needs_attention_since.toISOString(), reason: row.needs_attention_reason ?? '', activity: row.needs_attention_activity ?? '' } }
      : {}),
  };
}

/** Order events that record an exception action (with `by`: who did it). */
const EXCEPTION_ACTIONS = new Set(['order.held', 'order.released', 'order.cancel_requested', 'order.lines_cancelled', 'order.rerouted', 'order.address_changed']);

/** A registration's payment authorization already belongs to another order (rolls the registration back). */
class AuthorizationTaken extends Error {
  constructor(readonly authorizationId: string) {
    super(`payment authorization ${authorizationId} belongs to another order`);
  }
}

/** The order a payment authorization belongs to (an authorization pays for one order). */
async function orderOfAuthorization(db: Db, authorizationId: string): Promise<string | undefined> {
  const row = (await db('order_payment_authorizations').where({ authorization_id: authorizationId }).first('order_id')) as { order_id: string } | undefined;
  return row?.order_id;
}

export function createOrdersRepository(db: Db) {
  return {
    /** The order a payment authorization belongs to. */
    orderOfAuthorization: (authorizationId: string) => orderOfAuthorization(db, authorizationId),

    /**
     * Registers a new order under (channel, channelOrderId), or returns the order already
     * registered there: the unique key is what makes order creation idempotent.
     */
    async register(args: {
      id: string;
      channel: string;
      channelOrderId: string;
      requestHash: string;
      customerId: string;
      createdAt: string;
      /** The validated request, so the intake sweep can start an order never started (see claimUnstarted). */
      request?: CreateOrderRequest;
      /** The payment authorization the order draws on: it must not belong to another order. */
      authorizationId?: string;
    }): Promise<{ created: boolean; order: OrderRow } | { created: false; authorizationTakenBy: string }> {
      const registered = await db.transaction(async (trx) => {
        const inserted: DbOrderRow[] = await trx('orders')
          .insert({
            id: args.id,
            channel: args.channel,
            channel_order_id: args.channelOrderId,
            request_hash: args.requestHash,
            status: 'received',
            customer_id: args.customerId,
            created_at: new Date(args.createdAt),
            updated_at: new Date(args.createdAt),
            request: args.request ? JSON.stringify(args.request) : null,
          })
          .onConflict(['channel', 'channel_order_id'])
          .ignore()
          .returning(ROW_COLUMNS);
        if (!inserted[0] || !args.authorizationId) return inserted[0];
        // The payment authorization is this order's from now on: a second order citing it is refused, and this one is not registered.
        const claimed = await trx('order_payment_authorizations')
          .insert({ authorization_id: args.authorizationId, channel: args.channel, order_id: args.id })
          .onConflict('authorization_id')
          .ignore()
          .returning('order_id');
        if (claimed.length === 0) throw new AuthorizationTaken(args.authorizationId);
        return inserted[0];
      }).catch(async (err: unknown) => {
        if (!(err instanceof AuthorizationTaken)) throw err;
        return { authorizationTakenBy: (await orderOfAuthorization(db, err.authorizationId)) ?? 'another order' };
      });
      if (registered && 'authorizationTakenBy' in registered) return { created: false, authorizationTakenBy: registered.authorizationTakenBy };
      if (registered) return { created: true, order: toOrderRow(registered) };
      const existing = (await db('orders')
        .where({ channel: args.channel, channel_order_id: args.channelOrderId })
        .first(ROW_COLUMNS)) as DbOrderRow | undefined;
      if (!existing) throw new Error('order registration conflicted but no order exists');
      return { created: false, order: toOrderRow(existing) };
    },

    /**
     * Claims orders registered at least `olderThanSeconds` ago whose workflow never wrote a
     * snapshot (so may never have started), each at most once per `retrySeconds` and for a
     * day: a claim holds the row for that long, so several API processes share the sweep.
     */
    async claimUnstarted(args: { olderThanSeconds: number; retrySeconds: number; limit: number }): Promise<{ id: string; createdAt: string; request: CreateOrderRequest }[]> {
      const result = await db.raw<{ rows: { id: string; created_at: Date; request: CreateOrderRequest }[] }>(
        `UPDATE orders SET start_swept_at = now()
          WHERE id IN (
            SELECT id FROM orders
             WHERE snapshot IS NULL AND request IS NOT NULL
               AND created_at < now() - make_interval(secs => ?) AND created_at > now() - interval '1 day'
               AND (start_swept_at IS NULL OR start_swept_at < now() - make_interval(secs => ?))
             ORDER BY created_at
             LIMIT ?
               FOR UPDATE SKIP LOCKED)
         RETURNING id, created_at, request`,
        [args.olderThanSeconds, args.retrySeconds, args.limit],
      );
      return result.rows.map((r) => ({ id: r.id, createdAt: r.created_at.toISOString(), request: r.request }));
    },

    async get(id: string): Promise<OrderRow | undefined> {
      const row = (await db('orders').where({ id }).first(ROW_COLUMNS)) as DbOrderRow | undefined;
      return row ? toOrderRow(row) : undefined;
    },

    /**
     * Writes the workflow's view of the order unless a newer revision is already stored, and
     * the business events of that change to the outbox, in one transaction.
     */
    async saveSnapshot(order: Order, revision: number, fulfillmentLocations: string[], events: readonly BusinessEvent[] = []): Promise<boolean> {
      return db.transaction(async (trx) => {
        await appendEvents(trx, events);
        // Exception actions, however they arrived (HTTP or the Temporal CLI), are audited as applied.
        const actions = events.filter((e) => EXCEPTION_ACTIONS.has(e.type) && typeof e.data.by === 'string');
        if (actions.length > 0) {
          await trx('audit_log')
            .insert(
              actions.map((e) => ({
                event_id: e.eventId,
                key_name: e.data.by,
                role: String(e.data.by).split(':')[0],
                action: e.type,
                method: 'UPDATE',
                path: `order-${order.id}`,
                target: order.id,
                status: 200,
                outcome: 'ok',
              })),
            )
            .onConflict('event_id')
            .ignore();
        }
        const updated = await trx('orders')
          .where({ id: order.id })
          .where('revision', '<', revision)
          .update({
            status: order.status,
            on_hold: order.holds.length > 0,
            fulfillment_locations: fulfillmentLocations,
            snapshot: JSON.stringify(order),
            revision,
            updated_at: new Date(order.updatedAt),
          });
        return updated > 0;
      });
    },

    /**
     * Flags the order for ops (the first failure stands), with its outbox event, apart from the
     * snapshot. The text is made printable: it may quote the very data that was refused.
     */
    async markNeedsAttention(orderId: string, flag: NeedsAttention, event: BusinessEvent): Promise<void> {
      const clean = (value: string) => printable(value).slice(0, 1000);
      await db.transaction(async (trx) => {
        await appendEvents(trx, [{ ...event, data: printableDeep(event.data) }]);
        await trx('orders')
          .where({ id: orderId })
          .whereNull('needs_attention_since')
          .update({ needs_attention_since: new Date(flag.since), needs_attention_reason: clean(flag.reason), needs_attention_activity: clean(flag.activity) });
      });
    },

    /** The read model's list: newest first, keyset-paginated on (created_at, id). */
    async list(filter: { needsAttention?: boolean; status?: OrderStatus; channel?: string; locationId?: string; locationIds?: string[]; tile?: { id: BoardTileId; timezone: string }; channelOrderId?: string; limit: number; cursor?: { createdAt: string; id: string } }): Promise<OrderRow[]> {
      const query = db('orders').select(ROW_COLUMNS.map((c) => `orders.${c}`)).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filter.limit);
      if (filter.status) query.where({ status: filter.status });
      if (filter.needsAttention === true) query.whereNotNull('needs_attention_since');
      if (filter.needsAttention === false) query.whereNull('needs_attention_since');
      if (filter.channel) query.where({ channel: filter.channel });
      if (filter.locationId) query.whereRaw('? = ANY(fulfillment_locations)', [filter.locationId]);
      if (filter.locationIds) query.whereRaw('fulfillment_locations && ?::text[]', [filter.locationIds]);
      if (filter.tile) whereTile(query, filter.tile.id, filter.tile.timezone);
      if (filter.channelOrderId) query.where({ channel_order_id: filter.channelOrderId });
      if (filter.cursor) query.whereRaw('(created_at, id) < (?, ?)', [new Date(filter.cursor.createdAt), filter.cursor.id]);
      return ((await query) as DbOrderRow[]).map(toOrderRow);
    },
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

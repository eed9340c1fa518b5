// Delivery promises: the quoted options with their plans, and the state of the hold on one
// option's stock (whose reservations the promise's id owns).
import type { Knex } from 'knex';
import type { Db } from '../knex.ts';
import type { PlannedOption } from '../../domain/promises/options.ts';
import type { PromiseHoldState, PromiseRequest, PromiseResource } from '../../domain/promises/schemas.ts';

export interface StoredPromise {
  id: string;
  channel: string;
  request: PromiseRequest;
  options: PlannedOption[];
  unavailable: { sku: string; quantity: number }[];
  heldOptionId: string | null;
  holdState: PromiseHoldState | null;
  expiresAt: Date | null;
  orderId: string | null;
  createdAt: Date;
}

interface DbPromiseRow {
  id: string;
  channel: string;
  request: PromiseRequest;
  options: PlannedOption[];
  unavailable: { sku: string; quantity: number }[];
  held_option_id: string | null;
  hold_state: PromiseHoldState | null;
  expires_at: Date | null;
  order_id: string | null;
  created_at: Date;
}

function toPromise(row: DbPromiseRow): StoredPromise {
  return {
    id: row.id,
    channel: row.channel,
    request: row.request,
    options: row.options,
    unavailable: row.unavailable,
    heldOptionId: row.held_option_id,
    holdState: row.hold_state,
    expiresAt: row.expires_at,
    orderId: row.order_id,
    createdAt: row.created_at,
  };
}

/** The promise as the API shows it: options without their internal plans. */
export function promiseView(p: StoredPromise): PromiseResource {
  return {
    id: p.id,
    channel: p.channel,
    createdAt: p.createdAt.toISOString(),
    ...(p.expiresAt ? { expiresAt: p.expiresAt.toISOString() } : {}),
    ...(p.holdState ? { hold: { ...(p.heldOptionId ? { optionId: p.heldOptionId } : {}), state: p.holdState, ...(p.orderId ? { orderId: p.orderId } : {}) } } : {}),
    options: p.options.map((o) => o.option),
    unavailable: p.unavailable,
  };
}

export function createPromisesRepository(db: Db) {
  return {
    /** Saves a new promise; its row is not read back (a quote is answered as soon as it is saved). */
    async insert(p: Omit<StoredPromise, 'createdAt' | 'orderId'>, trx: Knex | Knex.Transaction = db): Promise<StoredPromise> {
      const createdAt = new Date();
      await trx('promises').insert({
        id: p.id,
        channel: p.channel,
        request: JSON.stringify(p.request),
        options: JSON.stringify(p.options),
        unavailable: JSON.stringify(p.unavailable),
        held_option_id: p.heldOptionId,
        hold_state: p.holdState,
        expires_at: p.expiresAt,
        created_at: createdAt,
      });
      return { ...p, orderId: null, createdAt };
    },

    async get(id: string): Promise<StoredPromise | undefined> {
      const row = await db<DbPromiseRow>('promises').where({ id }).first();
      return row ? toPromise(row) : undefined;
    },

    /** Moves the hold from `from` to `to`; false when it was no longer in `from` (someone else moved it first). */
    async moveHold(id: string, from: PromiseHoldState, to: PromiseHoldState, orderId?: string, trx: Knex | Knex.Transaction = db): Promise<boolean> {
      const updated = await trx('promises')
        .where({ id, hold_state: from })
        .update({ hold_state: to, ...(orderId ? { order_id: orderId } : {}) });
      return updated > 0;
    },
  };
}

export type PromisesRepository = ReturnType<typeof createPromisesRepository>;

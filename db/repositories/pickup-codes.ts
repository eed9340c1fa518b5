// Wrong pickup codes, counted per fulfillment so a six-digit code cannot be guessed: each
// attempt is charged before the code is checked (concurrent guesses are all counted) and
// forgiven when the code was right or never checked.
import type { Db } from '../knex.ts';

export const PICKUP_CODE_TRIES = 5;
export const PICKUP_CODE_WINDOW_MS = 15 * 60_000;

export type PickupCodeCharge = { ok: true; id: string; wrongBefore: number } | { ok: false; retryAfterSeconds: number };

export function createPickupCodeAttemptsRepository(db: Db) {
  const windowSeconds = PICKUP_CODE_WINDOW_MS / 1000;
  return {
    /** Charges one attempt, unless the fulfillment already had PICKUP_CODE_TRIES wrong ones within the window. */
    async charge(fulfillmentId: string): Promise<PickupCodeCharge> {
      return db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`pickup-code:${fulfillmentId}`]);
        const recent = (await trx('pickup_code_attempts')
          .where({ fulfillment_id: fulfillmentId })
          .whereRaw('at > now() - make_interval(secs => ?)', [windowSeconds])
          .select(trx.raw('count(*)::int AS n'), trx.raw(`extract(epoch FROM min(at) + make_interval(secs => ?) - now())::float AS frees_in`, [windowSeconds]))
          .first()) as { n: number; frees_in: number | null };
        if (recent.n >= PICKUP_CODE_TRIES) return { ok: false as const, retryAfterSeconds: Math.max(1, Math.ceil(recent.frees_in ?? windowSeconds)) };
        const [row] = (await trx('pickup_code_attempts').insert({ fulfillment_id: fulfillmentId }).returning('id')) as { id: string }[];
        return { ok: true as const, id: String(row!.id), wrongBefore: recent.n };
      });
    },

    /** The attempt did not count: the code was right, or the fulfillment refused for another reason. */
    async forgive(id: string): Promise<void> {
      await db('pickup_code_attempts').where({ id }).delete();
    },

    /** Wrong attempts within the window (for the associate's page). */
    async wrongRecently(fulfillmentId: string): Promise<number> {
      const row = (await db('pickup_code_attempts')
        .where({ fulfillment_id: fulfillmentId })
        .whereRaw('at > now() - make_interval(secs => ?)', [windowSeconds])
        .count({ n: '*' })
        .first()) as { n: string | number };
      return Number(row.n);
    },
  };
}

export type PickupCodeAttemptsRepository = ReturnType<typeof createPickupCodeAttemptsRepository>;

// The built-in payment provider: keeps the authorization and every capture, void and refund
// in Postgres. Limits are enforced by one guarded UPDATE each (and by CHECK constraints), so
// concurrent or repeated calls can never capture more than authorized or refund more than captured.
import type { Knex } from 'knex';
import type { Db } from '../knex.ts';
import type { PaymentProvider, PaymentRequest, PaymentResult, PaymentTotals } from '../../domain/payments/provider.ts';

export type Kind = 'capture' | 'void' | 'refund';

interface DbAuthorizationRow {
  authorization_id: string;
  amount: string;
  currency: string;
  captured: string;
  refunded: string;
  voided: string;
}

const GUARDS: Record<Kind, { set: string; where: string; refusal: 'exceeds_authorization' | 'exceeds_captured' }> = {
  capture: { set: 'captured = captured + :amount', where: 'captured + voided + :amount <= amount', refusal: 'exceeds_authorization' },
  void: { set: 'voided = voided + :amount', where: 'captured + voided + :amount <= amount', refusal: 'exceeds_authorization' },
  refund: { set: 'refunded = refunded + :amount', where: 'refunded + :amount <= captured', refusal: 'exceeds_captured' },
};

function totalsOf(row: DbAuthorizationRow): PaymentTotals {
  return {
    authorized: { amount: Number(row.amount), currency: row.currency },
    captured: Number(row.captured),
    refunded: Number(row.refunded),
    voided: Number(row.voided),
  };
}

async function ensureAuthorization(trx: Knex.Transaction, request: PaymentRequest): Promise<void> {
  await trx('payment_authorizations')
    .insert({
      authorization_id: request.authorizationId,
      order_id: request.orderId,
      amount: request.authorized.amount,
      currency: request.authorized.currency,
    })
    .onConflict('authorization_id')
    .ignore();
}

/** Thrown by an outside provider's call when it refused: the ledger keeps nothing and the refusal is answered. */
export class ProviderRefused extends Error {}

export interface LedgerOptions {
  /**
   * The outside provider's call, made once the ledger's limits allow the movement and before it
   * is recorded, in the same transaction: a failure records nothing; a crash after it leaves no
   * record, so the retry calls again with the same idempotency key and the provider answers
   * what it did the first time. `totals` are the authorization's before this movement.
   */
  atProvider?: (kind: Kind, request: PaymentRequest, totals: PaymentTotals) => Promise<void>;
}

export function createLedgerPaymentProvider(db: Db, options: LedgerOptions = {}): PaymentProvider {
  async function move(kind: Kind, request: PaymentRequest): Promise<PaymentResult> {
    if (request.amount.currency !== request.authorized.currency) return { ok: false, reason: 'currency_mismatch' };
    try {
      return await recorded(kind, request);
    } catch (err) {
      if (err instanceof ProviderRefused) return { ok: false, reason: 'provider_refused', detail: err.message };
      throw err;
    }
  }

  function recorded(kind: Kind, request: PaymentRequest): Promise<PaymentResult> {
    return db.transaction(async (trx) => {
      const earlier = await trx('payment_transactions').where({ idempotency_key: request.idempotencyKey }).first();
      if (earlier) return { ok: true, transactionId: String(earlier.id), amount: { amount: Number(earlier.amount), currency: earlier.currency } };
      await ensureAuthorization(trx, request);
      const guard = GUARDS[kind];
      const updated = await trx.raw<{ rowCount: number }>(
        `UPDATE payment_authorizations SET ${guard.set} WHERE authorization_id = :id AND ${guard.where}`,
        { id: request.authorizationId, amount: request.amount.amount },
      );
      if (updated.rowCount === 0) return { ok: false, reason: guard.refusal };
      if (options.atProvider) {
        const after = (await trx<DbAuthorizationRow>('payment_authorizations').where({ authorization_id: request.authorizationId }).first())!;
        const before = totalsOf(after);
        before[kind === 'capture' ? 'captured' : kind === 'void' ? 'voided' : 'refunded'] -= request.amount.amount;
        // A refusal (ProviderRefused) rolls this transaction back; the caller answers it.
        await options.atProvider(kind, request, before);
      }
      const [row] = await trx('payment_transactions')
        .insert({
          authorization_id: request.authorizationId,
          order_id: request.orderId,
          kind,
          amount: request.amount.amount,
          currency: request.amount.currency,
          idempotency_key: request.idempotencyKey,
          reference: request.reference ?? null,
        })
        .returning('id');
      return { ok: true, transactionId: String((row as { id: string }).id), amount: request.amount };
    });
  }

  return {
    capture: (request) => move('capture', request),
    void: (request) => move('void', request),
    refund: (request) => move('refund', request),
    async totals(authorizationId: string): Promise<PaymentTotals | undefined> {
      const row = await db<DbAuthorizationRow>('payment_authorizations').where({ authorization_id: authorizationId }).first();
      return row ? totalsOf(row) : undefined;
    },
  };
}

/** Whether Fulcrum itself voided (part of) an authorization: a provider's cancellation of it is then Fulcrum's own. */
export async function voidedByFulcrum(db: Db, authorizationId: string): Promise<boolean> {
  return (await db('payment_transactions').where({ authorization_id: authorizationId, kind: 'void' }).first('id')) !== undefined;
}

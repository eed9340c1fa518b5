// Runs a collect (pickup code) within the fulfillment's allowance of wrong codes: after
// PICKUP_CODE_TRIES wrong codes in PICKUP_CODE_WINDOW_MS the fulfillment answers 429 with
// Retry-After, and the lock-out is announced as a `fulfillment.pickup_code_locked` event; a
// wrong code's 422 says how many tries are left.
import { appendEvents } from '../db/repositories/outbox.ts';
import { PICKUP_CODE_TRIES, PICKUP_CODE_WINDOW_MS } from '../db/repositories/pickup-codes.ts';
import type { FulfillmentResource } from '../domain/fulfillments/schemas.ts';
import type { ApiDeps } from './deps.ts';
import { ProblemError } from './problem.ts';

export async function collectWithinAllowance<T>(deps: ApiDeps, f: FulfillmentResource, collect: () => Promise<T>): Promise<T> {
  const charge = await deps.pickupCodes.charge(f.id);
  if (!charge.ok) {
    throw new ProblemError(
      429,
      `${PICKUP_CODE_TRIES} wrong pickup codes within ${PICKUP_CODE_WINDOW_MS / 60_000} minutes: this pickup is locked; try again later or ask the customer for the code they were sent.`,
      { triesLeft: 0 },
      { 'Retry-After': String(charge.retryAfterSeconds) },
    );
  }
  try {
    const collected = await collect();
    await deps.pickupCodes.forgive(charge.id);
    return collected;
  } catch (err) {
    const wrongCode = err instanceof ProblemError && err.problem.status === 422 && err.problem.errors?.some((e) => e.path === 'pickupCode');
    if (!wrongCode) {
      await deps.pickupCodes.forgive(charge.id);
      throw err;
    }
    const triesLeft = Math.max(0, PICKUP_CODE_TRIES - (charge.wrongBefore + 1));
    if (triesLeft === 0) {
      await appendEvents(deps.db, [
        {
          eventId: `pickup-code-locked:${f.id}:${charge.id}`,
          type: 'fulfillment.pickup_code_locked',
          orderId: f.orderId,
          data: { fulfillmentId: f.id, locationId: f.locationId, wrongCodes: PICKUP_CODE_TRIES, lockedForMinutes: PICKUP_CODE_WINDOW_MS / 60_000 },
        },
      ]);
    }
    const left = triesLeft === 0 ? 'no tries left: the pickup is locked for a while' : `${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left`;
    throw new ProblemError(422, `The pickup code does not match the code sent to the customer; ${left}.`, { errors: err.problem.errors, triesLeft });
  }
}

// A promise's hold expires: the promise says so and its held reservations are released. Safe
// to repeat, and harmless after an order took the stock over (nothing is held any more).
import type { InventoryRepository } from '../../db/repositories/inventory.ts';
import type { PromisesRepository } from '../../db/repositories/promises.ts';

export function createPromiseActivities(deps: { promises: PromisesRepository; inventory: InventoryRepository }) {
  return {
    async expirePromiseHold(input: { promiseId: string }): Promise<{ state: string }> {
      await deps.promises.moveHold(input.promiseId, 'held', 'expired');
      await deps.inventory.release(input.promiseId, { actor: 'promise-expiry' });
      const promise = await deps.promises.get(input.promiseId);
      return { state: promise?.holdState ?? 'unknown' };
    },
  };
}

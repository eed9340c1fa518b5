// An order placed with a promiseId routes to the plan promised at checkout first: the option
// matching the order's method, level and store, its SKUs mapped onto the order's lines. The
// held stock is taken over in one transaction (no other cart can take it in between); an
// option that was not held, or whose hold has ended, is reserved afresh. When the promise
// cannot be kept (the order asks for more, the stock went), the hold is let go and the
// order is routed as any other.
import type { InventoryRepository } from '../../db/repositories/inventory.ts';
import type { PromisesRepository, StoredPromise } from '../../db/repositories/promises.ts';
import type { PlannedOption } from '../../domain/promises/options.ts';
import type { PlannedFulfillment, SourcingPlan } from '../../domain/sourcing/index.ts';
import type { FulfillmentMethod, ServiceLevel } from '../../domain/orders/schemas.ts';

/** What of the order the promised plan is matched against. */
export interface PromisedOrder {
  orderId: string;
  channel: string;
  method: FulfillmentMethod;
  serviceLevel?: ServiceLevel;
  pickupLocationId?: string;
  lines: { lineId: string; sku: string; quantity: number }[];
  promiseId: string;
}

class HoldGone extends Error {}

/** The option a customer chose: the one of the order's method, service level and pickup store. */
export function optionIdFor(input: Pick<PromisedOrder, 'method' | 'serviceLevel' | 'pickupLocationId'>): string {
  if (input.method === 'pickup' || input.method === 'curbside') return `pickup:${input.pickupLocationId}`;
  return `ship:${input.method === 'same_day' ? 'same_day' : (input.serviceLevel ?? 'standard')}`;
}

/** The option's plan on the order's lines (by SKU), or undefined when it does not cover every unit. */
export function planOnOrderLines(plan: readonly PlannedFulfillment[], lines: PromisedOrder['lines']): PlannedFulfillment[] | undefined {
  const left = new Map(lines.map((l) => [l.lineId, l.quantity]));
  const out: PlannedFulfillment[] = [];
  for (const f of plan) {
    const mapped: PlannedFulfillment['lines'] = [];
    for (const promised of f.lines) {
      let units = promised.quantity;
      for (const line of lines.filter((l) => l.sku === promised.sku)) {
        const take = Math.min(units, left.get(line.lineId)!);
        if (take <= 0) continue;
        mapped.push({ lineId: line.lineId, sku: line.sku, quantity: take });
        left.set(line.lineId, left.get(line.lineId)! - take);
        units -= take;
      }
    }
    if (mapped.length > 0) out.push({ ...f, lines: mapped });
  }
  return [...left.values()].every((n) => n === 0) ? out : undefined;
}

function asPlan(promise: StoredPromise, option: PlannedOption, fulfillments: PlannedFulfillment[], how: string): SourcingPlan {
  return {
    fulfillments,
    backordered: [],
    totalCost: option.option.cost.amount,
    explanation: {
      profileId: option.option.profileId,
      profileVersion: option.profileVersion,
      evaluatedAt: new Date().toISOString(),
      candidates: [],
      plansConsidered: [],
      tradeoffs: [],
      chosen: `${option.option.locationIds.join(' + ')}: the plan promised at checkout (promise ${promise.id}, option ${option.option.id}), ${how}`,
      profileChosenBy: `the profile that planned promise ${promise.id}`,
    },
  };
}

export async function promisedPlan(
  deps: { promises: PromisesRepository; inventory: InventoryRepository },
  input: PromisedOrder,
  attempt: number,
  sharePercent: number,
): Promise<SourcingPlan | undefined> {
  const promise = await deps.promises.get(input.promiseId);
  if (!promise || promise.channel !== input.channel) return undefined;
  const option = promise.options.find((o) => o.option.id === optionIdFor(input));
  const fulfillments = option ? planOnOrderLines(option.plan, input.lines) : undefined;
  const letGo = async () => {
    if (await deps.promises.moveHold(promise.id, 'held', 'released', input.orderId)) await deps.inventory.release(promise.id, { actor: input.orderId });
  };
  if (!option || !fulfillments) {
    await letGo();
    return undefined;
  }
  if (promise.holdState === 'held' && promise.heldOptionId === option.option.id && promise.expiresAt && promise.expiresAt.getTime() > Date.now()) {
    try {
      const taken = await deps.inventory.takeOver({
        from: promise.id,
        to: input.orderId,
        attempt,
        shipments: fulfillments,
        onCommit: async (trx) => {
          if (!(await deps.promises.moveHold(promise.id, 'held', 'used', input.orderId, trx))) throw new HoldGone();
        },
      });
      if (taken.ok) return asPlan(promise, option, fulfillments, 'its held stock taken over');
    } catch (err) {
      if (!(err instanceof HoldGone)) throw err;
    }
  }
  // Not held (or no longer): the promised plan if its stock is still there.
  await letGo();
  if (!(await deps.inventory.reservePlan({ ownerId: input.orderId, attempt, shipments: fulfillments, sharePercent })).ok) return undefined;
  return asPlan(promise, option, fulfillments, 'reserved afresh (it was not held)');
}

// Hold rules every new order goes through (order value over a threshold, a flagged
// customer), and the timing policy the order workflow follows. Read once per order, so a
// running order keeps the rules it started with.
import type { OrderPolicy } from '../../config/index.ts';
import type { CustomersRepository } from '../../db/repositories/customers.ts';
import type { Money } from '../../domain/money.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';

export interface ScreeningResult {
  holdReasons: string[];
  policy: Omit<OrderPolicy, 'holdOrderValueOver'>;
}

export function createScreenOrder(deps: { customers: CustomersRepository; network: NetworkRepository; policy: OrderPolicy }) {
  return async function screenOrder(input: { customerId: string; orderValue: Money; pickupLocationId?: string }): Promise<ScreeningResult> {
    const holdReasons: string[] = [];
    const { holdOrderValueOver, ...policy } = deps.policy;
    if (holdOrderValueOver !== undefined && input.orderValue.amount > holdOrderValueOver) {
      holdReasons.push(`order value ${input.orderValue.amount} ${input.orderValue.currency} is over the review threshold ${holdOrderValueOver}`);
    }
    const flag = await deps.customers.flag(input.customerId);
    if (flag) holdReasons.push(`customer ${input.customerId} is flagged: ${flag.reason}`);
    // A pickup order counts its days (the backorder promise) where the customer collects it.
    const store = input.pickupLocationId ? await deps.network.getLocation(input.pickupLocationId) : undefined;
    return { holdReasons, policy: { ...policy, timezone: store?.timezone ?? policy.timezone ?? 'UTC' } };
  };
}

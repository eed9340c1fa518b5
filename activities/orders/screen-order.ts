// Hold rules every new order goes through (order value over a threshold, a flagged
// customer), and the timing policy the order workflow follows. Read once per order, so a
// running order keeps the rules it started with.
import type { OrderPolicy } from '../../config/index.ts';
import type { CustomersRepository } from '../../db/repositories/customers.ts';
import type { Money } from '../../domain/money.ts';

export interface ScreeningResult {
  holdReasons: string[];
  policy: Omit<OrderPolicy, 'holdOrderValueOver'>;
}

export function createScreenOrder(deps: { customers: CustomersRepository; policy: OrderPolicy }) {
  return async function screenOrder(input: { customerId: string; orderValue: Money }): Promise<ScreeningResult> {
    const holdReasons: string[] = [];
    const { holdOrderValueOver, ...policy } = deps.policy;
    if (holdOrderValueOver !== undefined && input.orderValue.amount > holdOrderValueOver) {
      holdReasons.push(`order value ${input.orderValue.amount} ${input.orderValue.currency} is over the review threshold ${holdOrderValueOver}`);
    }
    const flag = await deps.customers.flag(input.customerId);
    if (flag) holdReasons.push(`customer ${input.customerId} is flagged: ${flag.reason}`);
    return { holdReasons, policy };
  };
}

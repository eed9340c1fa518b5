// Each log line an activity writes carries the order it works for, when its workflow is the
// order's own (fulfillment and transfer activities name their order in their input).
import type { Context } from '@temporalio/activity';
import type { ActivityOutboundCallsInterceptor, GetLogAttributesInput, Next } from '@temporalio/worker';
import { orderIdOfWorkflows } from '../domain/order-of-workflow.ts';

export class OrderLogAttributesInterceptor implements ActivityOutboundCallsInterceptor {
  constructor(private readonly ctx: Context) {}

  getLogAttributes(input: GetLogAttributesInput, next: Next<ActivityOutboundCallsInterceptor, 'getLogAttributes'>): Record<string, unknown> {
    const orderId = orderIdOfWorkflows(this.ctx.info.workflowExecution?.workflowId);
    return next(orderId ? { ...input, orderId } : input);
  }
}

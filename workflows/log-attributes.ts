// Workflow interceptors bundled with every workflow: each log line a workflow writes carries
// the order it works for (its own id, its parent's or its root's). Log attributes are not
// commands, so this changes nothing a history records.
import { workflowInfo, type GetLogAttributesInput, type Next, type WorkflowInterceptorsFactory, type WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import { orderIdOfWorkflows } from '../domain/order-of-workflow.ts';

class OrderLogAttributes implements WorkflowOutboundCallsInterceptor {
  getLogAttributes(input: GetLogAttributesInput, next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>): Record<string, unknown> {
    const info = workflowInfo();
    const orderId = orderIdOfWorkflows(info.workflowId, info.parent?.workflowId, info.root?.workflowId);
    return next(orderId ? { ...input, orderId } : input);
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ outbound: [new OrderLogAttributes()] });

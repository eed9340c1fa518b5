// Order intake: registers the order under (channel, channelOrderId), which makes creation
// idempotent, then starts its workflow. A retry after a crash between the two steps finds
// the registration and starts the same workflow id, so nothing is lost or done twice.
import { currentResource } from '../current-resource.ts';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { initialOrder, type OrderWorkflowInput } from '../../domain/orders/order-state.ts';
import type { CreateOrderRequest, Order } from '../../domain/orders/schemas.ts';
import type { OrderRow } from '../../db/repositories/orders.ts';
import { ChannelKey, CustomerIdKey, OnHoldKey, OrderStatusKey } from '../../workflows/search-attributes.ts';
import { getOrderQuery, orderWorkflowId, orderWorkflowType, waitForRoutingUpdate } from '../../workflows/order/definitions.ts';
import { canonicalJson, sha256Hex } from '../canonical-json.ts';
import type { Client } from '@temporalio/client';
import type { OrdersRepository } from '../../db/repositories/orders.ts';
import { newId } from '../ids.ts';

/** What intake needs: the API passes its deps; the exchange activity passes its own. */
export interface IntakeDeps {
  orders: OrdersRepository;
  temporal: Client;
  taskQueue: string;
  /** False on a server without the contract's search attributes (the time-skipping test server). */
  searchAttributes?: boolean;
}

export type SubmitResult =
  | { outcome: 'created' | 'existing'; order: Order }
  | { outcome: 'conflict'; existingOrderId: string };

const ROUTING_WAIT_MS = 10_000;

function workflowInput(row: OrderRow, request: CreateOrderRequest): OrderWorkflowInput {
  return { orderId: row.id, createdAt: row.createdAt, request };
}

async function startOrderWorkflow(deps: IntakeDeps, input: OrderWorkflowInput): Promise<void> {
  const { request } = input;
  try {
    await deps.temporal.workflow.start(orderWorkflowType, {
      workflowId: orderWorkflowId(input.orderId),
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...(deps.searchAttributes === false
        ? { memo: { 'fulcrum.searchAttributes': 'off' } }
        : {
            typedSearchAttributes: [
              { key: OrderStatusKey, value: 'received' },
              { key: ChannelKey, value: request.channel },
              { key: CustomerIdKey, value: request.customer.id },
              { key: OnHoldKey, value: false },
            ],
          }),
      staticSummary: `${request.channel} order ${request.channelOrderId}`,
    });
  } catch (err) {
    // The order already ran to its end: there is nothing to start again.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** The current order: from its workflow, or from the read model when the workflow cannot answer. */
export function currentOrder(deps: Pick<IntakeDeps, 'temporal'>, row: OrderRow): Promise<Order | undefined> {
  return currentResource(deps.temporal, orderWorkflowId(row.id), getOrderQuery, async () => row.snapshot ?? undefined);
}

async function waitForRouting(deps: IntakeDeps, orderId: string): Promise<Order | undefined> {
  const handle = deps.temporal.workflow.getHandle(orderWorkflowId(orderId));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ROUTING_WAIT_MS);
  try {
    return await deps.temporal.withAbortSignal(controller.signal, () => handle.executeUpdate(waitForRoutingUpdate));
  } catch (err) {
    if (controller.signal.aborted) return undefined;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export async function submitOrder(
  deps: IntakeDeps,
  request: CreateOrderRequest,
  options: { waitForRouting: boolean },
): Promise<SubmitResult> {
  const requestHash = sha256Hex(canonicalJson(request));
  const { created, order: row } = await deps.orders.register({
    id: newId('ord'),
    channel: request.channel,
    channelOrderId: request.channelOrderId,
    requestHash,
    customerId: request.customer.id,
    createdAt: new Date().toISOString(),
  });
  if (!created && row.requestHash !== requestHash) return { outcome: 'conflict', existingOrderId: row.id };

  const input = workflowInput(row, request);
  await startOrderWorkflow(deps, input);

  let order: Order | undefined;
  if (options.waitForRouting) order = await waitForRouting(deps, row.id);
  if (!order && !created) order = await currentOrder(deps, row);
  return { outcome: created ? 'created' : 'existing', order: order ?? initialOrder(input) };
}

// Order intake: registers the order under (channel, channelOrderId) with its request, which
// makes creation idempotent, then starts its workflow. A retry after a crash between the two
// steps finds the registration and starts the same workflow id, so nothing is lost or done
// twice; without a retry, the intake sweep starts it from the stored request.
import { currentResource } from '../current-resource.ts';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { initialOrder, type OrderWorkflowInput } from '../../domain/orders/order-state.ts';
import type { CreateOrderRequest, Order } from '../../domain/orders/schemas.ts';
import type { OrderRow } from '../../db/repositories/orders.ts';
import { ChannelKey, CustomerIdKey, OnHoldKey, OrderStatusKey } from '../../workflows/search-attributes.ts';
import { getOrderQuery, orderWorkflowId, orderWorkflowType, waitForRoutingUpdate } from '../../workflows/order/definitions.ts';
import { canonicalJson, sha256Hex } from '../canonical-json.ts';
import type { Client } from '@temporalio/client';
import type { OrdersRepository } from '../../db/repositories/orders.ts';
import { newId } from '../ids.ts';
import { customerSearchValue } from './customer-search.ts';
import { isDependencyOutage } from '../outages.ts';
import type { FifoGate } from '../admission.ts';

/** What intake needs: the API passes its deps; the exchange activity passes its own. */
export interface IntakeDeps {
  orders: OrdersRepository;
  temporal: Client;
  taskQueue: string;
  /** False on a server without the contract's search attributes (the time-skipping test server). */
  searchAttributes?: boolean;
  /** `?wait=routed` requests queue here (first come, first served) before starting their order. */
  routingWaits?: FifoGate;
}

export type SubmitResult =
  | { outcome: 'created' | 'existing'; order: Order }
  | { outcome: 'conflict'; existingOrderId: string }
  /** The payment authorization belongs to another order (nothing was registered). */
  | { outcome: 'authorization_taken'; orderId: string };

const ROUTING_WAIT_MS = 10_000;

function workflowInput(row: OrderRow, request: CreateOrderRequest): OrderWorkflowInput {
  return { orderId: row.id, createdAt: row.createdAt, request };
}

/** How the order workflow is started: its id, queue, search attributes for ops, and the summary in the UI. */
function startOptions(deps: IntakeDeps, input: OrderWorkflowInput) {
  const { request } = input;
  return {
    workflowId: orderWorkflowId(input.orderId),
    taskQueue: deps.taskQueue,
    args: [input] as [OrderWorkflowInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    ...(deps.searchAttributes === false
      ? { memo: { 'fulcrum.searchAttributes': 'off' } }
      : {
          typedSearchAttributes: [
            { key: OrderStatusKey, value: 'received' },
            { key: ChannelKey, value: request.channel },
            // A keyed hash: search attributes are shown in clear to whoever can list workflows.
            { key: CustomerIdKey, value: customerSearchValue(request.channel, request.customer.id) },
            { key: OnHoldKey, value: false },
          ],
        }),
    staticSummary: `${request.channel} order ${request.channelOrderId}`,
  };
}

async function startOrderWorkflow(deps: IntakeDeps, input: OrderWorkflowInput): Promise<void> {
  try {
    await deps.temporal.workflow.start(orderWorkflowType, startOptions(deps, input));
  } catch (err) {
    // The order already ran to its end: there is nothing to start again.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** The current order: from its workflow, or from the read model when the workflow cannot answer. */
export function currentOrder(deps: Pick<IntakeDeps, 'temporal'>, row: OrderRow): Promise<Order | undefined> {
  return currentResource(deps.temporal, orderWorkflowId(row.id), getOrderQuery, async () => row.snapshot ?? undefined);
}

/**
 * Starts the order and waits for its routing decision, queued behind the other routing waits
 * of this process: at most ROUTING_WAIT_MS in all. Undefined when the wait ran out (queued or
 * not); the workflow is started either way.
 */
async function admitAndWaitForRouting(deps: IntakeDeps, input: OrderWorkflowInput): Promise<Order | undefined> {
  const queuedAt = Date.now();
  const release = deps.routingWaits ? await deps.routingWaits.acquire(ROUTING_WAIT_MS) : () => {};
  if (!release) {
    await startOrderWorkflow(deps, input);
    return undefined;
  }
  try {
    return await startAndWaitForRouting(deps, input, ROUTING_WAIT_MS - (Date.now() - queuedAt));
  } finally {
    release();
  }
}

/**
 * Starts the order and waits for its routing decision in one round trip (Update-with-Start),
 * at most `waitMs`. Undefined when the wait ran out; the workflow is started either way.
 */
async function startAndWaitForRouting(deps: IntakeDeps, input: OrderWorkflowInput, waitMs: number): Promise<Order | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(1, waitMs));
  try {
    const startWorkflowOperation = new WithStartWorkflowOperation(orderWorkflowType, startOptions(deps, input));
    return await deps.temporal.withAbortSignal(controller.signal, () => deps.temporal.workflow.executeUpdateWithStart(waitForRoutingUpdate, { startWorkflowOperation }));
  } catch (err) {
    // Out of time, or the order already ran to its end: make sure it exists, then answer from what it shows.
    await startOrderWorkflow(deps, input);
    if (controller.signal.aborted || err instanceof WorkflowExecutionAlreadyStartedError || err instanceof WorkflowUpdateFailedError) return undefined;
    // A server without Update-with-Start: the same wait, as a start and an Update.
    return await deps.temporal
      .withAbortSignal(controller.signal, () => deps.temporal.workflow.getHandle(orderWorkflowId(input.orderId)).executeUpdate(waitForRoutingUpdate))
      .catch((again: unknown) => {
        if (controller.signal.aborted) return undefined;
        throw again;
      });
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
  const registered = await deps.orders.register({
    id: newId('ord'),
    channel: request.channel,
    channelOrderId: request.channelOrderId,
    requestHash,
    customerId: request.customer.id,
    createdAt: new Date().toISOString(),
    request,
    authorizationId: request.payment.authorizationId,
  });
  if ('authorizationTakenBy' in registered) return { outcome: 'authorization_taken', orderId: registered.authorizationTakenBy };
  const { created, order: row } = registered;
  if (!created && row.requestHash !== requestHash) return { outcome: 'conflict', existingOrderId: row.id };

  const input = workflowInput(row, request);
  let order: Order | undefined;
  try {
    if (options.waitForRouting) order = await admitAndWaitForRouting(deps, input);
    else await startOrderWorkflow(deps, input);
    if (!order && !created) order = await currentOrder(deps, row);
  } catch (err) {
    // Temporal is not answering, but the order is registered: the intake sweep starts it once
    // Temporal answers again. The order exists, so the answer says so (`received`), never a
    // failure that would make the channel think it must place it again.
    if (!isDependencyOutage(err)) throw err;
    order = row.snapshot ?? undefined;
  }
  return { outcome: created ? 'created' : 'existing', order: order ?? initialOrder(input) };
}

/**
 * The intake sweep: starts orders registered at least `olderThanSeconds` ago whose workflow
 * never showed itself (no snapshot) from their stored request. Starting is idempotent (the
 * same workflow id, USE_EXISTING), so an order that did start is left as it is. Returns how
 * many were claimed.
 */
export async function startUnstartedOrders(deps: IntakeDeps, options: { olderThanSeconds: number; retrySeconds: number; limit?: number }): Promise<number> {
  const claimed = await deps.orders.claimUnstarted({ olderThanSeconds: options.olderThanSeconds, retrySeconds: options.retrySeconds, limit: options.limit ?? 100 });
  for (const row of claimed) await startOrderWorkflow(deps, { orderId: row.id, createdAt: row.createdAt, request: row.request });
  return claimed.length;
}

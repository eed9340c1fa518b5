// The return workflow's timers and steps on the time-skipping test server with the real
// database: an unreceived return expires with nothing refunded; a received one is refunded;
// an exchange's replacement order is placed (and routed) on receipt.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/knex.ts';
import { createInventoryRepository } from '../../db/repositories/inventory.ts';
import { createLedgerPaymentProvider } from '../../db/repositories/payments.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createOrdersRepository } from '../../db/repositories/orders.ts';
import { DEFAULT_RETURN_POLICY, type ReturnWorkflowInput } from '../../domain/returns/schemas.ts';
import { getOrderQuery, orderWorkflowId } from '../../workflows/order/definitions.ts';
import { getReturnQuery, receiveReturnUpdate, returnWorkflowId, returnWorkflowType } from '../../workflows/return/definitions.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { startTimeSkippingStack } from '../support/time-skipping.ts';
import { recordHistories } from '../support/record-history.ts';

const TASK_QUEUE = 'return-timers';
let env: TestWorkflowEnvironment;
let db: Db;
let stackClose: () => Promise<void>;
let count = 0;

beforeAll(async () => {
  ({ env, db, close: stackClose } = await startTimeSkippingStack(TASK_QUEUE));
  const network = createNetworkRepository(db);
  await network.upsertLocation('STORE-R', locationBody(41.89, -87.63, { type: 'store', capabilities: storeCaps }));
  await network.upsertSku('VEST', { name: 'Vest', weightGrams: 400 });
  await createInventoryRepository(db).setCount({ locationId: 'STORE-R', sku: 'VEST', onHand: 5, idempotencyKey: 'seed', actor: 'test' });
});

afterAll(async () => stackClose?.());

/** A return of one vest (of an order paid and captured in full) as the API would start it. */
async function startReturn(options: { exchange?: boolean } = {}) {
  count += 1;
  const orderId = `ord_rt${count}`;
  const createdAt = new Date(await env.currentTimeMs()).toISOString();
  await createOrdersRepository(db).register({ id: orderId, channel: 'web', channelOrderId: `RT-${count}`, requestHash: 'x', customerId: 'c-1', createdAt });
  const payment = { authorizationId: `auth_rt${count}`, amount: { amount: 4000, currency: 'USD' } };
  await createLedgerPaymentProvider(db).capture({ orderId, authorizationId: payment.authorizationId, authorized: payment.amount, amount: payment.amount, idempotencyKey: `seed-capture-${count}` });
  const input: ReturnWorkflowInput = {
    returnId: `ret_rt${count}`,
    rma: `RMA-RT${count}`,
    createdAt,
    request: {
      orderId,
      method: 'in_store',
      locationId: 'STORE-R',
      lines: [{ lineId: '1', quantity: 1, reason: 'too warm' }],
      ...(options.exchange ? { replacementLines: [{ sku: 'VEST', quantity: 1 }] } : {}),
    },
    locationId: 'STORE-R',
    policy: { ...DEFAULT_RETURN_POLICY, receiptDays: 14 },
    order: {
      id: orderId,
      channel: 'web',
      channelOrderId: `RT-${count}`,
      customer: { id: 'c-1', name: 'Ada' },
      fulfillment: { method: 'pickup', pickupLocationId: 'STORE-R' },
      serviceLevel: 'standard',
      payment,
      lines: [{ lineId: '1', sku: 'VEST', quantity: 2, unitPrice: { amount: 2000, currency: 'USD' } }],
    },
  };
  await db('returns').insert({ id: input.returnId, order_id: orderId, channel: 'web', rma: input.rma, status: 'open', method: 'in_store', snapshot: '{}' });
  await db('return_lines').insert({ return_id: input.returnId, order_id: orderId, line_id: '1', quantity: 1 });
  return env.client.workflow.start(returnWorkflowType, { workflowId: returnWorkflowId(input.returnId), taskQueue: TASK_QUEUE, args: [input] });
}

describe('return timers', () => {
  it('expires a return nothing was received for, refunding nothing', async () => {
    const handle = await startReturn();
    await eventually(() => handle.query(getReturnQuery), (r) => r.status === 'open', 'open');
    await env.sleep('13 days');
    expect((await handle.query(getReturnQuery)).status).toBe('open');
    await env.sleep('2 days');
    const expired = await eventually(() => handle.query(getReturnQuery), (r) => r.status === 'expired', 'expired');
    expect(expired.refund).toBeUndefined();
    expect(await db('payment_transactions').where({ order_id: expired.orderId, kind: 'refund' })).toHaveLength(0);
    expect(await db('return_lines').where({ return_id: expired.id }).first()).toMatchObject({ open: false });
    await recordHistories({ client: env.client }, { 'return-expired': handle.workflowId });
  });

  it('refunds a return received days later, and restocks it', async () => {
    const handle = await startReturn();
    await env.sleep('6 days');
    const received = await handle.executeUpdate(receiveReturnUpdate, { args: [{ locationId: 'STORE-R', lines: [{ lineId: '1', quantity: 1, condition: 'sellable' }] }] });
    expect(received).toMatchObject({ status: 'refunded', refund: { amount: { amount: 2000, currency: 'USD' }, status: 'issued' } });
    expect((await createInventoryRepository(db).getLevel('STORE-R', 'VEST'))?.onHand).toBeGreaterThanOrEqual(6);
    await env.sleep('20 days');
    expect((await handle.query(getReturnQuery)).status).toBe('refunded');
    await expectInventoryConsistent(db);
  });

  it('places and routes the exchange order when the return is received', async () => {
    const handle = await startReturn({ exchange: true });
    await env.sleep('2 days');
    expect((await handle.query(getReturnQuery)).exchangeOrderId).toBeUndefined();
    const received = await handle.executeUpdate(receiveReturnUpdate, { args: [{ locationId: 'STORE-R', lines: [{ lineId: '1', quantity: 1, condition: 'sellable' }] }] });
    expect(received.refund?.status).toBe('none');
    const exchange = env.client.workflow.getHandle(orderWorkflowId(received.exchangeOrderId!));
    const routed = await eventually(() => exchange.query(getOrderQuery), (o) => o.status === 'routed', 'exchange routed');
    expect(routed.fulfillments[0]).toMatchObject({ locationId: 'STORE-R', method: 'pickup' });
    await expectInventoryConsistent(db);
  });
});

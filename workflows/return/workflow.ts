// The return workflow: one per return (`return-<id>`). It issues the RMA (and a prepaid label
// for mail returns), waits for the goods with an expiry timer, takes them in at whichever
// location receives them and refunds what came back (receive.ts), or sends an exchange's
// replacement as a new order.
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { actorName, type Actor } from '../../domain/access/actor.ts';
import type { ReturnResource, ReturnWorkflowInput } from '../../domain/returns/schemas.ts';
import { INVALID_STATE, refuse } from '../update-refusals.ts';
import { cancelReturnUpdate, getReturnQuery, waitForOpenedUpdate } from './definitions.ts';
import { registerReceive } from './receive.ts';
import { buyReturnLabel, ReturnRun } from './run.ts';

export async function returnWorkflow(input: ReturnWorkflowInput): Promise<ReturnResource> {
  const run = new ReturnRun(input);
  const { r } = run;
  const { request, order } = input;
  setHandler(getReturnQuery, () => r);
  setHandler(waitForOpenedUpdate, async () => {
    await condition(() => run.opened || r.status !== 'open');
    return r;
  });
  registerReceive(run);
  registerCancel(run);

  await run.publish();
  if (request.method === 'mail' && order.shipTo) {
    const label = await buyReturnLabel({ returnId: r.id, rma: r.rma, orderId: order.id, locationId: input.locationId, from: order.shipTo, customerName: order.customer.name });
    r.label = { carrier: label.carrier, service: label.service, trackingNumber: label.trackingNumber };
    run.record('return.label_created', { carrier: label.carrier, trackingNumber: label.trackingNumber });
  }
  if (input.policy.exchangeBeforeReceipt) await run.sendExchange();
  await run.publish();
  run.opened = true;

  const settled = await condition(() => r.status !== 'open', Math.max(1, Date.parse(r.expiresAt) - Date.now()));
  if (!settled && r.status === 'open' && !run.busy) {
    r.status = 'expired';
    run.record('return.expired', { reason: `nothing received within ${input.policy.receiptDays} days; nothing refunded` });
    await run.publish();
  }
  await condition(allHandlersFinished);
  return r;
}

function registerCancel(run: ReturnRun): void {
  const { r } = run;
  setHandler(
    cancelReturnUpdate,
    async (_body, actor) => {
      r.status = 'cancelled';
      run.record('return.cancelled', { by: actorName(actor) });
      await run.publish();
      return r;
    },
    {
      validator: (_body?: unknown, _actor?: Actor) => {
        if (r.status !== 'open' || run.busy) refuse(INVALID_STATE, `A ${r.status} return cannot be cancelled.`);
      },
    },
  );
}

// The associates' actions at the location, each an Update with the HTTP call's body: pick
// (scans and shortages), pack (the label), hand off, reject; for pickups ready, collect and
// the curbside customer's arrival. Validators refuse before anything is recorded.
import { ActivityFailure, ApplicationFailure, patched, setHandler, uuid4 } from '@temporalio/workflow';
import { actorName as by, type Actor } from '../../domain/access/actor.ts';
import { applyPick, pickComplete } from '../../domain/fulfillments/picking.ts';
import type { ArrivedRequest } from '../../domain/fulfillments/schemas.ts';
import { requestSchemas } from '../request-schemas.ts';
import { DEPENDENCY_UNAVAILABLE, INVALID_STATE, refuse, refuseFields, VALIDATION_ERROR } from '../update-refusals.ts';
import { checkBody } from '../validate-body.ts';
import { buyShippingLabel, buyShippingLabelBounded, commitFulfillmentStock, writeOffShortPick } from './activities.ts';
import { arrivedUpdate, collectUpdate, handoffUpdate, packUpdate, pickUpdate, readyUpdate, rejectUpdate } from './definitions.ts';
import { nowIso, type FulfillmentRun } from './run.ts';

export function registerActions(run: FulfillmentRun): void {
  registerPick(run);
  registerPack(run);
  registerHandoffAndReject(run);
  registerCounter(run);
}

function registerPick(run: FulfillmentRun): void {
  const { f } = run;
  setHandler(
    pickUpdate,
    (body, actor) =>
      run.exclusive(async () => {
        const request = checkBody(requestSchemas.fulfillments().PickRequest, body);
        const outcome = applyPick(f.lines, request);
        if (!outcome.ok) refuseFields(outcome.errors);
        run.pickNumber += 1;
        for (const [lineId, quantity] of outcome.short) {
          await writeOffShortPick({ reservationKey: run.reservationKeys.get(lineId)!, quantity, idempotencyKey: `short_pick:${f.id}:${lineId}:${run.pickNumber}`, actor: by(actor) });
        }
        for (const line of f.lines) {
          line.picked += outcome.picked.get(line.lineId) ?? 0;
          line.short += outcome.short.get(line.lineId) ?? 0;
        }
        const scanned = request.scans.reduce((s, scan) => s + scan.quantity, 0);
        const short = [...outcome.short].map(([lineId, quantity]) => ({ lineId, quantity }));
        if (short.length > 0) run.pendingChange.reroute = { reason: `short pick at ${f.locationId}` };
        if (pickComplete(f.lines) && f.lines.every((l) => l.picked === 0)) {
          // Nothing was found: the fulfillment ends and the order routes every unit elsewhere.
          await run.releaseAll('nothing_found');
          run.setStatus('cancelled', 'fulfillment.cancelled', { reason: 'every unit was short', short, by: by(actor) });
        } else {
          f.status = 'picking';
          run.record('fulfillment.picked', { units: scanned, ...(short.length ? { short } : {}), complete: pickComplete(f.lines), by: by(actor) });
        }
        await run.publish();
        return f;
      }),
    {
      validator: (body, _actor?: Actor) => {
        run.requireStatus(['pending', 'picking'], 'picked');
        run.requireNotHeld();
        const request = checkBody(requestSchemas.fulfillments().PickRequest, body);
        // Before the start, GTINs are not known yet: the handler checks the scans once they are.
        if (!run.setup) return;
        const outcome = applyPick(f.lines, request);
        if (!outcome.ok) refuseFields(outcome.errors);
      },
    },
  );
}

/**
 * The carrier gateway refused the label, or did not answer three tries: ops are told (the
 * order needs attention), and the associate hears why; packing again tries again.
 */
async function labelNotBought(run: FulfillmentRun, err: unknown): Promise<never> {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  const said = cause?.message ?? String(err);
  const refused = cause instanceof ApplicationFailure && cause.type === 'CarrierGatewayRefused';
  const reason = refused ? said : `the carrier gateway did not answer after three tries: ${said}`;
  run.needsAttention({ activity: 'buyShippingLabel', reason });
  await run.publish();
  if (refused) refuse(VALIDATION_ERROR, `packages: ${reason}`);
  refuse(DEPENDENCY_UNAVAILABLE, `No label was bought: ${reason}. Fulcrum told ops; pack again once the carrier gateway answers.`);
}

function registerPack(run: FulfillmentRun): void {
  const { f, input } = run;
  setHandler(
    packUpdate,
    (body, actor) =>
      run.exclusive(async () => {
        const request = checkBody(requestSchemas.fulfillments().PackRequest, body);
        const shipTo = run.shipTo;
        if (!shipTo) refuse(INVALID_STATE, 'The order has no shipping address.');
        const bounded = patched('label-purchase-bound');
        try {
          const label = await (bounded ? buyShippingLabelBounded : buyShippingLabel)({
            orderId: f.orderId,
            channel: input.channel,
            fulfillmentId: f.id,
            locationId: f.locationId,
            serviceLevel: f.serviceLevel,
            shipTo,
            recipient: input.recipient,
            packages: request.packages,
            ...(request.labelFormat ? { labelFormat: request.labelFormat } : {}),
          });
          f.packages = request.packages;
          f.carrier = label.carrier;
          f.service = label.service;
          f.trackingNumber = label.trackingNumber;
          f.shippingCost = label.rate;
          run.setStatus('packed', 'fulfillment.packed', {
            carrier: label.carrier,
            service: label.service,
            trackingNumber: label.trackingNumber,
            packages: request.packages.length,
            ...(label.downgradedFrom ? { downgradedFrom: label.downgradedFrom, note: 'same-day cut-off missed at the origin' } : {}),
            by: by(actor),
          });
        } catch (err) {
          const refusal = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
          if (refusal?.type === 'NoCarrierService') refuse(VALIDATION_ERROR, `packages: ${refusal.message}`);
          if (bounded && refusal?.type !== 'SameDayCutoffMissed') await labelNotBought(run, err);
          if (refusal?.type !== 'SameDayCutoffMissed') throw err;
          // The profile sends the order to a location that still makes today's courier.
          await run.releaseAll('same_day_cutoff_missed');
          run.pendingChange.reroute = { reason: refusal.message };
          run.setStatus('cancelled', 'fulfillment.cutoff_missed', { reason: refusal.message, by: by(actor) });
        }
        await run.publish();
        return f;
      }),
    {
      validator: (body, _actor?: Actor) => {
        if (f.method !== 'ship' && f.method !== 'same_day') refuse(INVALID_STATE, `A ${f.method} fulfillment is not packed for a carrier.`);
        run.requireStatus(['picking'], 'packed');
        run.requireNotHeld();
        if (!pickComplete(f.lines)) refuse(INVALID_STATE, 'Pick every unit (or report it short) before packing.');
        checkBody(requestSchemas.fulfillments().PackRequest, body);
      },
    },
  );
}

/** The picked units leave the location's on-hand and its reservation. */
function commitPicked(run: FulfillmentRun, actor: Actor | undefined): Promise<void> {
  return commitFulfillmentStock({ lines: run.f.lines.map((l) => ({ reservationKey: run.reservationKeys.get(l.lineId)!, quantity: l.picked })), actor: by(actor) });
}

function registerHandoffAndReject(run: FulfillmentRun): void {
  const { f } = run;
  setHandler(
    handoffUpdate,
    (_body, actor) =>
      run.exclusive(async () => {
        await commitPicked(run, actor);
        run.setStatus('shipped', 'fulfillment.shipped', { carrier: f.carrier, service: f.service, trackingNumber: f.trackingNumber, by: by(actor) });
        await run.publish();
        return f;
      }),
    {
      validator: (_body?: unknown, _actor?: Actor) => {
        run.requireStatus(['packed'], 'handed off');
        run.requireNotHeld();
      },
    },
  );
  setHandler(
    rejectUpdate,
    (body, actor) =>
      run.exclusive(async () => {
        const { reason } = checkBody(requestSchemas.fulfillments().RejectRequest, body);
        await run.releaseAll('rejected');
        run.pendingChange.reroute = { reason: `rejected by ${f.locationId}: ${reason}` };
        run.setStatus('rejected', 'fulfillment.rejected', { reason, by: by(actor) });
        await run.publish();
        return f;
      }),
    {
      validator: (body, _actor?: Actor) => {
        run.requireStatus(['pending', 'picking'], 'rejected');
        checkBody(requestSchemas.fulfillments().RejectRequest, body);
      },
    },
  );
}

/** Pickup and curbside: ready at the counter with a code, collected with it; curbside customers announce they are outside. */
function registerCounter(run: FulfillmentRun): void {
  const { f } = run;
  setHandler(
    readyUpdate,
    (_body, actor) =>
      run.exclusive(async () => {
        // Six digits the customer shows at the counter; from the workflow's deterministic uuid.
        run.pickupCode = String(parseInt(uuid4().replace(/-/g, '').slice(0, 8), 16) % 1_000_000).padStart(6, '0');
        run.readyAtMs = Date.now();
        f.pickupExpiresAt = run.pickupWindowEnd(run.requireStarted()).toISOString();
        run.setStatus('ready_for_pickup', 'fulfillment.ready_for_pickup', { pickupExpiresAt: f.pickupExpiresAt, by: by(actor) }, { pickupCode: run.pickupCode });
        await run.publish();
        return f;
      }),
    {
      validator: (_body?: unknown, _actor?: Actor) => {
        if (f.method !== 'pickup' && f.method !== 'curbside') refuse(INVALID_STATE, `A ${f.method} fulfillment is shipped, not made ready for pickup.`);
        run.requireStatus(['picking'], 'made ready');
        run.requireNotHeld();
        if (!pickComplete(f.lines)) refuse(INVALID_STATE, 'Pick every unit (or report it short) before making the order ready.');
      },
    },
  );
  setHandler(
    collectUpdate,
    (_body, actor) =>
      run.exclusive(async () => {
        await commitPicked(run, actor);
        run.setStatus('picked_up', 'fulfillment.picked_up', { by: by(actor) });
        await run.publish();
        return f;
      }),
    {
      validator: (body, _actor?: Actor) => {
        run.requireStatus(['ready_for_pickup'], 'collected');
        const { pickupCode: code } = checkBody(requestSchemas.fulfillments().CollectRequest, body);
        if (code !== run.pickupCode) refuse(VALIDATION_ERROR, 'pickupCode: does not match the code sent to the customer');
      },
    },
  );
  setHandler(
    arrivedUpdate,
    (body, actor) =>
      run.exclusive(async () => {
        f.customerArrivedAt = nowIso();
        if (body?.spot) f.spot = body.spot;
        run.record('fulfillment.customer_arrived', { ...(body?.spot ? { spot: body.spot } : {}), by: by(actor) });
        await run.publish();
        return f;
      }),
    {
      validator: (body?: ArrivedRequest, _actor?: Actor) => {
        if (f.method !== 'curbside') refuse(INVALID_STATE, 'Only curbside orders announce the customer’s arrival.');
        if (run.ended()) refuse(INVALID_STATE, `A ${f.status} fulfillment is closed.`);
        checkBody(requestSchemas.fulfillments().ArrivedRequest, body);
      },
    },
  );
}

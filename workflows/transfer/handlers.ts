// What a transfer answers: its query, and the associates' actions as Updates — pick at the
// source (scans, shortages), ship, receive (counted), cancel (standalone transfers only);
// for a pickup by transfer, the order's changing needs.
import { condition, setHandler } from '@temporalio/workflow';
import { actorName, type Actor } from '../../domain/access/actor.ts';
import type { FieldError } from '../../domain/errors.ts';
import { applyPick, pickComplete } from '../../domain/fulfillments/picking.ts';
import type { PickTransferRequest, ReceiveTransferRequest, ShipTransferRequest } from '../../domain/transfers/schemas.ts';
import { requestSchemas } from '../request-schemas.ts';
import { INVALID_STATE, refuse, refuseFields, VALIDATION_ERROR } from '../update-refusals.ts';
import { checkBody } from '../validate-body.ts';
import { cancelTransferUpdate, getTransferQuery, orderNeedsSignal, pickTransferUpdate, receiveTransferUpdate, shipTransferUpdate, waitForReservationUpdate } from './definitions.ts';
import { activities, type TransferRun } from './run.ts';

/** A transfer's pick request in the terms of the picking rules (one line per SKU). */
function asPick(request: PickTransferRequest) {
  return { scans: request.scans, ...(request.shortages ? { shortages: request.shortages.map((s) => ({ lineId: s.sku, quantity: s.quantity })) } : {}) };
}

/** The picking rules' errors named as a transfer's request names its fields. */
function transferErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ path: e.path.replace(/^(shortages\[\d+\])\.lineId$/, '$1.sku'), message: e.message.replace(/^line /, 'SKU ').replace(/ of line /, ' of SKU ') }));
}

export function registerTransferHandlers(run: TransferRun): void {
  const { transfer } = run;
  setHandler(getTransferQuery, () => transfer);
  setHandler(waitForReservationUpdate, async () => {
    await condition(() => transfer.status !== 'requested');
    return transfer;
  });
  registerPick(run);
  registerShipAndReceive(run);
  setHandler(
    cancelTransferUpdate,
    async ({ reason }) => {
      run.action = 'cancel';
      run.cancelReason = reason;
      await condition(run.settled(['cancelled']));
      return transfer;
    },
    {
      validator: (body) => {
        if (run.forOrder) refuse(INVALID_STATE, `This transfer brings the units of order ${run.forOrder.orderId} to its pickup store: cancel or re-route the order instead.`);
        run.requireStatus(['requested', 'reserved'], 'cancelled');
        if (typeof body?.reason !== 'string' || body.reason.trim() === '') refuse(VALIDATION_ERROR, 'reason: is required');
      },
    },
  );
  setHandler(orderNeedsSignal, ({ lines }) => {
    const { forOrder, needs } = run;
    if (!forOrder) return;
    const before = run.withdrawn();
    for (const line of lines) if (needs.has(line.lineId)) needs.set(line.lineId, Math.max(0, Math.min(needs.get(line.lineId)!, line.quantity)));
    if (run.withdrawn() && !before) {
      transfer.withdrawn = true;
      run.record('transfer.withdrawn', { orderId: forOrder.orderId, note: transfer.status === 'reserved' ? 'cancelled before shipping' : 'the units arrive as the store’s ordinary stock' });
    } else {
      run.record('transfer.order_needs_changed', { lines });
    }
    run.dirty = true;
  });
}

function registerPick(run: TransferRun): void {
  const { transfer } = run;
  setHandler(
    pickTransferUpdate,
    (body, actor) =>
      run.exclusive(async () => {
        const request = checkBody(requestSchemas.transfers().PickTransferRequest, body);
        if (!run.barcodes) {
          const setup = await activities.prepareFulfillment({ locationId: transfer.fromLocationId, skus: transfer.lines.map((l) => l.sku) });
          const barcodes = new Map(setup.barcodes.filter((b) => b.gtin).map((b) => [b.sku, b.gtin!]));
          run.barcodes = barcodes;
          for (const line of transfer.lines) if (barcodes.get(line.sku)) line.gtin = barcodes.get(line.sku)!;
        }
        const outcome = applyPick(run.pickLines(), asPick(request), 'transfer');
        if (!outcome.ok) refuseFields(transferErrors(outcome.errors));
        if (transfer.status !== 'reserved') refuse(INVALID_STATE, `A ${transfer.status} transfer cannot be picked.`);
        run.picks += 1;
        const by = actorName(actor);
        for (const [sku, quantity] of outcome.short) await run.writeOff(sku, quantity, by);
        for (const line of transfer.lines) {
          line.picked = (line.picked ?? 0) + (outcome.picked.get(line.sku) ?? 0);
          line.short = (line.short ?? 0) + (outcome.short.get(line.sku) ?? 0);
        }
        const short = [...outcome.short].map(([sku, quantity]) => ({ sku, quantity }));
        run.record('transfer.picked', { units: request.scans.reduce((s, scan) => s + scan.quantity, 0), ...(short.length ? { short } : {}), complete: pickComplete(run.pickLines()), by });
        await run.publish();
        return transfer;
      }),
    {
      validator: (body, _actor?: Actor) => {
        run.requireStatus(['reserved'], 'picked');
        const request = checkBody(requestSchemas.transfers().PickTransferRequest, body);
        // Before the first pick the GTINs are not known: the handler checks the scans then.
        if (!run.barcodes) return;
        const outcome = applyPick(run.pickLines(), asPick(request), 'transfer');
        if (!outcome.ok) refuseFields(transferErrors(outcome.errors));
      },
    },
  );
}

function registerShipAndReceive(run: TransferRun): void {
  const { transfer } = run;
  setHandler(
    shipTransferUpdate,
    async (body, actor) => {
      run.shipRequest = checkBody(requestSchemas.transfers().ShipTransferRequest, body ?? {});
      run.shippedBy = actorName(actor);
      run.action = 'ship';
      await condition(run.settled(['in_transit', 'received', 'cancelled']));
      return transfer;
    },
    {
      validator: (body?: ShipTransferRequest, _actor?: Actor) => {
        run.requireStatus(['reserved'], 'shipped');
        if (run.picking() && !pickComplete(run.pickLines())) refuse(INVALID_STATE, 'Pick every unit (or report it short) before shipping.');
        checkBody(requestSchemas.transfers().ShipTransferRequest, body ?? {});
      },
    },
  );
  setHandler(
    receiveTransferUpdate,
    async (body, actor) => {
      run.receiveRequest = checkBody(requestSchemas.transfers().ReceiveTransferRequest, body ?? {});
      run.receivedBy = actorName(actor);
      run.action = 'receive';
      await condition(run.settled(['received']));
      return transfer;
    },
    {
      validator: (body?: ReceiveTransferRequest, _actor?: Actor) => {
        run.requireStatus(['in_transit'], 'received');
        const request = checkBody(requestSchemas.transfers().ReceiveTransferRequest, body ?? {});
        const errors: FieldError[] = [];
        (request.lines ?? []).forEach((counted, i) => {
          const line = transfer.lines.find((l) => l.sku === counted.sku);
          if (!line) errors.push({ path: `lines[${i}].sku`, message: `${counted.sku} is not part of this transfer` });
          else if (counted.quantity > line.shipped) errors.push({ path: `lines[${i}].quantity`, message: `more than the ${line.shipped} unit(s) shipped` });
        });
        if (errors.length > 0) refuseFields(errors);
      },
    },
  );
}

// The transfer workflow: reserve at the source, pick there (scans; shortages written off),
// ship (stock leaves the source and shows as incoming at the destination, with the carrier's
// tracking number or as a store run), receive what arrived (on hand at the destination; a
// short receipt records the rest as lost in transit). A transfer not received by its
// expected time is flagged overdue; cancelling before shipping releases the reservation.
//
// A pickup by transfer (input.forOrder) runs one as a child of the pickup fulfillment: it
// adopts the order's reservation at the source instead of reserving again, tells the
// fulfillment of every change, and on receipt reserves the arrived units at the store for
// the order in the same transaction. Only workflows started with forOrder take that path,
// so the commands of standalone transfers are unchanged.
import { orAttention } from '../needs-attention.ts';
import { condition, getExternalWorkflowHandle, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { INVALID_STATE, refuse, refuseFields, VALIDATION_ERROR } from '../update-refusals.ts';
import { checkBody } from '../validate-body.ts';
import type { Activities } from '../../activities/index.ts';
import { applyPick, pickComplete } from '../../domain/fulfillments/picking.ts';
import type { FieldError } from '../../domain/errors.ts';
import { receiptReservationKey, transferReservationKey } from '../../domain/inventory/reservation-keys.ts';
import {
  initialTransfer,
  PickTransferRequest,
  ReceiveTransferRequest,
  shareBySku,
  ShipTransferRequest,
  TRANSFER_ENDED,
  type Transfer,
  type TransferWorkflowInput,
} from '../../domain/transfers/schemas.ts';
import { actorName, type Actor } from '../../domain/access/actor.ts';
import {
  cancelTransferUpdate,
  getTransferQuery,
  orderNeedsSignal,
  pickTransferUpdate,
  receiveTransferUpdate,
  shipTransferUpdate,
  transferProgressSignal,
  waitForReservationUpdate,
} from './definitions.ts';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

function requireStatus(transfer: Transfer, allowed: Transfer['status'][], action: string, pending?: string): void {
  if (pending) {
    refuse(INVALID_STATE, `The transfer is already being ${pending}.`);
  }
  if (!allowed.includes(transfer.status)) {
    refuse(INVALID_STATE, `A ${transfer.status} transfer cannot be ${action}.`);
  }
}

/** A transfer's pick request in the terms of the picking rules (one line per SKU). */
function asPick(request: PickTransferRequest) {
  return { scans: request.scans, ...(request.shortages ? { shortages: request.shortages.map((s) => ({ lineId: s.sku, quantity: s.quantity })) } : {}) };
}

/** The picking rules' errors named as a transfer's request names its fields. */
function transferErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ path: e.path.replace(/^(shortages\[\d+\])\.lineId$/, '$1.sku'), message: e.message.replace(/^line /, 'SKU ').replace(/ of line /, ' of SKU ') }));
}

export async function transferWorkflow(input: TransferWorkflowInput): Promise<Transfer> {
  const transfer = initialTransfer(input);
  const forOrder = input.forOrder;
  let revision = 0;
  let action: 'ship' | 'receive' | 'cancel' | undefined;
  let cancelReason = '';
  let shipRequest: ShipTransferRequest = {};
  let receiveRequest: ReceiveTransferRequest = {};
  let shippedBy: string | undefined;
  let receivedBy: string | undefined;
  /** Barcodes of the SKUs, loaded by the first pick. */
  let barcodes: Map<string, string> | undefined;
  let picks = 0;
  let busy = false;
  let dirty = false;
  /** Pickup by transfer: what the order still wants of each line. */
  const needs = new Map((forOrder?.lines ?? []).map((l) => [l.lineId, l.quantity]));
  /** The reservations at the source holding the units: the order's, or the transfer's own. */
  const holdings = forOrder
    ? forOrder.lines.map((l) => ({ sku: l.sku, reservationKey: l.reservationKey, quantity: l.quantity, short: 0 }))
    : transfer.lines.map((l) => ({ sku: l.sku, reservationKey: transferReservationKey(transfer.id, l.sku, transfer.fromLocationId), quantity: l.quantity, short: 0 }));
  const withdrawn = () => forOrder !== undefined && [...needs.values()].every((q) => q === 0);
  const settled = (statuses: Transfer['status'][]) => () => statuses.includes(transfer.status);
  /** An accepted action the workflow has not finished yet (another action must wait for it). */
  const pendingAction = (): string | undefined => {
    if (action === 'ship' && transfer.status === 'reserved') return 'shipped';
    if (action === 'receive' && transfer.status === 'in_transit') return 'received';
    if (action === 'cancel' && transfer.status !== 'cancelled') return 'cancelled';
    if (withdrawn() && transfer.status === 'reserved') return 'cancelled';
    return undefined;
  };

  function record(type: string, detail: Record<string, unknown> = {}): void {
    const at = new Date().toISOString();
    transfer.events.push({ at, type, detail });
    transfer.updatedAt = at;
  }
  async function publish(): Promise<void> {
    revision += 1;
    // A read model that refuses the data for good: recorded on the transfer, which goes on.
    await orAttention(() => activities.saveTransferSnapshot({ transfer, revision }), (failure) => {
      transfer.events.push({ at: new Date().toISOString(), type: 'transfer.needs_attention', detail: failure });
    }, undefined);
    if (!forOrder) return;
    const parent = workflowInfo().parent;
    if (!parent) return;
    try {
      await getExternalWorkflowHandle(parent.workflowId).signal(transferProgressSignal, transfer);
    } catch (err) {
      // The fulfillment has closed: the units come as the store's stock, nobody waits for them.
      log.warn('could not tell the pickup fulfillment', { transferId: transfer.id, error: String(err) });
    }
  }
  /** Waits for `done`, publishing what signals changed meanwhile. */
  async function waitUntil(done: () => boolean): Promise<void> {
    while (!done()) {
      await condition(() => done() || dirty);
      if (dirty) {
        dirty = false;
        await publish();
      }
    }
  }

  async function exclusive<T>(work: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  }

  /** The transfer's lines as pick lines (one per SKU, with its barcode once loaded). */
  function pickLines() {
    return transfer.lines.map((l) => ({
      lineId: l.sku,
      sku: l.sku,
      ...(barcodes?.get(l.sku) ? { gtin: barcodes.get(l.sku)! } : {}),
      quantity: l.quantity,
      picked: l.picked ?? 0,
      short: l.short ?? 0,
    }));
  }
  const picking = () => transfer.lines.some((l) => (l.picked ?? 0) + (l.short ?? 0) > 0);

  /** Units the source could not find: written off its shelf, out of the reservations holding them. */
  async function writeOff(sku: string, quantity: number, by: string): Promise<void> {
    let left = quantity;
    for (const holding of holdings.filter((h) => h.sku === sku)) {
      const take = Math.min(left, holding.quantity - holding.short);
      if (take <= 0) continue;
      await activities.writeOffShortPick({ reservationKey: holding.reservationKey, quantity: take, idempotencyKey: `transfer_short:${transfer.id}:${holding.reservationKey}:${picks}`, actor: by });
      holding.short += take;
      left -= take;
    }
  }

  setHandler(getTransferQuery, () => transfer);
  setHandler(waitForReservationUpdate, async () => {
    await condition(() => transfer.status !== 'requested');
    return transfer;
  });
  setHandler(
    pickTransferUpdate,
    (body, actor) =>
      exclusive(async () => {
        const request = checkBody(PickTransferRequest, body);
        if (!barcodes) {
          const setup = await activities.prepareFulfillment({ locationId: transfer.fromLocationId, skus: transfer.lines.map((l) => l.sku) });
          barcodes = new Map(setup.barcodes.filter((b) => b.gtin).map((b) => [b.sku, b.gtin!]));
          for (const line of transfer.lines) if (barcodes.get(line.sku)) line.gtin = barcodes.get(line.sku)!;
        }
        const outcome = applyPick(pickLines(), asPick(request), 'transfer');
        if (!outcome.ok) refuseFields(transferErrors(outcome.errors));
        if (transfer.status !== 'reserved') refuse(INVALID_STATE, `A ${transfer.status} transfer cannot be picked.`);
        picks += 1;
        const by = actorName(actor);
        for (const [sku, quantity] of outcome.short) await writeOff(sku, quantity, by);
        for (const line of transfer.lines) {
          line.picked = (line.picked ?? 0) + (outcome.picked.get(line.sku) ?? 0);
          line.short = (line.short ?? 0) + (outcome.short.get(line.sku) ?? 0);
        }
        const short = [...outcome.short].map(([sku, quantity]) => ({ sku, quantity }));
        record('transfer.picked', { units: request.scans.reduce((s, scan) => s + scan.quantity, 0), ...(short.length ? { short } : {}), complete: pickComplete(pickLines()), by });
        await publish();
        return transfer;
      }),
    {
      validator: (body, _actor?: Actor) => {
        requireStatus(transfer, ['reserved'], 'picked', pendingAction());
        const request = checkBody(PickTransferRequest, body);
        // Before the first pick the GTINs are not known: the handler checks the scans then.
        if (!barcodes) return;
        const outcome = applyPick(pickLines(), asPick(request), 'transfer');
        if (!outcome.ok) refuseFields(transferErrors(outcome.errors));
      },
    },
  );
  setHandler(
    shipTransferUpdate,
    async (body, actor) => {
      shipRequest = checkBody(ShipTransferRequest, body ?? {});
      shippedBy = actorName(actor);
      action = 'ship';
      await condition(settled(['in_transit', 'received', 'cancelled']));
      return transfer;
    },
    {
      validator: (body?: ShipTransferRequest, _actor?: Actor) => {
        requireStatus(transfer, ['reserved'], 'shipped', pendingAction());
        if (picking() && !pickComplete(pickLines())) refuse(INVALID_STATE, 'Pick every unit (or report it short) before shipping.');
        checkBody(ShipTransferRequest, body ?? {});
      },
    },
  );
  setHandler(
    receiveTransferUpdate,
    async (body, actor) => {
      receiveRequest = checkBody(ReceiveTransferRequest, body ?? {});
      receivedBy = actorName(actor);
      action = 'receive';
      await condition(settled(['received']));
      return transfer;
    },
    {
      validator: (body?: ReceiveTransferRequest, _actor?: Actor) => {
        requireStatus(transfer, ['in_transit'], 'received', pendingAction());
        const request = checkBody(ReceiveTransferRequest, body ?? {});
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
  setHandler(
    cancelTransferUpdate,
    async ({ reason }) => {
      action = 'cancel';
      cancelReason = reason;
      await condition(settled(['cancelled']));
      return transfer;
    },
    {
      validator: (body) => {
        if (forOrder) refuse(INVALID_STATE, `This transfer brings the units of order ${forOrder.orderId} to its pickup store: cancel or re-route the order instead.`);
        requireStatus(transfer, ['requested', 'reserved'], 'cancelled', pendingAction());
        if (typeof body?.reason !== 'string' || body.reason.trim() === '') {
          refuse(VALIDATION_ERROR, 'reason: is required');
        }
      },
    },
  );
  setHandler(orderNeedsSignal, ({ lines }) => {
    if (!forOrder) return;
    const before = withdrawn();
    for (const line of lines) if (needs.has(line.lineId)) needs.set(line.lineId, Math.max(0, Math.min(needs.get(line.lineId)!, line.quantity)));
    if (withdrawn() && !before) {
      transfer.withdrawn = true;
      record('transfer.withdrawn', { orderId: forOrder.orderId, note: transfer.status === 'reserved' ? 'cancelled before shipping' : 'the units arrive as the store’s ordinary stock' });
    } else {
      record('transfer.order_needs_changed', { lines });
    }
    dirty = true;
  });

  /** The units left the source: what the reservations held now is what shipped. */
  async function ship(options: { ownerId?: string; reservationKeys?: string[] }): Promise<void> {
    const shipped = await activities.shipTransfer({ transferId: transfer.id, toLocationId: transfer.toLocationId, ...options });
    // Histories from before shipping reported what shipped: every unit did.
    const perSku = Array.isArray(shipped) ? shipped.reduce((m, r) => m.set(r.sku, (m.get(r.sku) ?? 0) + r.quantity), new Map<string, number>()) : undefined;
    for (const line of transfer.lines) line.shipped = perSku ? (perSku.get(line.sku) ?? 0) : line.quantity;
    if (shipRequest.carrier) {
      transfer.carrier = shipRequest.carrier;
      transfer.trackingNumber = shipRequest.trackingNumber!;
    }
    transfer.status = 'in_transit';
    const detail = {
      ...(shipRequest.carrier ? { carrier: shipRequest.carrier, trackingNumber: shipRequest.trackingNumber } : shippedBy ? { by: 'store run' } : {}),
      ...(shippedBy ? { shippedBy } : {}),
    };
    record('transfer.shipped', detail);
    await publish();
  }

  /** Units counted at the destination (all that shipped unless the receipt said fewer). */
  function receivedPerSku(): Map<string, number> {
    return new Map(transfer.lines.map((l) => [l.sku, Math.min(receiveRequest.lines?.find((c) => c.sku === l.sku)?.quantity ?? l.shipped, l.shipped)]));
  }

  async function receive(reserveFor?: { orderId: string; lines: { lineId: string; sku: string; quantity: number; reservationKey: string }[] }): Promise<void> {
    const counted = receivedPerSku();
    await activities.receiveTransfer({
      transferId: transfer.id,
      toLocationId: transfer.toLocationId,
      ...(receiveRequest.lines ? { received: [...counted].map(([sku, quantity]) => ({ sku, quantity })) } : {}),
      ...(reserveFor ? { reserveFor } : {}),
    });
    for (const line of transfer.lines) line.received = counted.get(line.sku) ?? line.shipped;
    const missing = transfer.lines.filter((l) => l.received < l.shipped).map((l) => ({ sku: l.sku, quantity: l.shipped - l.received }));
    transfer.status = 'received';
    record('transfer.received', {
      ...(missing.length ? { missing } : {}),
      ...(reserveFor ? { reservedFor: reserveFor.orderId, reserved: reserveFor.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) } : {}),
      ...(forOrder && !reserveFor ? { asStoreStock: true } : {}),
      ...(receivedBy ? { by: receivedBy } : {}),
    });
    await publish();
  }

  /** The overdue timer of a pickup by transfer: counts from the start, since the store waits either way. */
  async function watchOverdue(): Promise<void> {
    const until = Date.parse(transfer.expectedAt) - Date.now();
    if (await condition(() => TRANSFER_ENDED.has(transfer.status), Math.max(1, until))) return;
    transfer.overdue = true;
    record('transfer.overdue', { expectedAt: transfer.expectedAt, status: transfer.status });
    await publish();
  }

  async function orderTransfer(order: NonNullable<typeof forOrder>): Promise<Transfer> {
    const keys = order.lines.map((l) => l.reservationKey);
    transfer.status = 'reserved';
    record('transfer.reserved', { orderId: order.orderId, fulfillmentId: order.fulfillmentId, note: 'the order’s reservation at the source' });
    await publish();
    void watchOverdue();
    await waitUntil(() => action === 'ship' || withdrawn());
    if (action !== 'ship') {
      await activities.releaseTransferStock({ transferId: transfer.id, ownerId: order.orderId, reservationKeys: keys });
      transfer.status = 'cancelled';
      record('transfer.cancelled', { reason: 'the order no longer needs the units' });
      await publish();
      return transfer;
    }
    await ship({ ownerId: order.orderId, reservationKeys: keys });
    if (transfer.lines.every((l) => l.shipped === 0)) {
      // The source found none of the units: nothing is on its way, the order routes them elsewhere.
      transfer.status = 'cancelled';
      record('transfer.cancelled', { reason: `${transfer.fromLocationId} found none of the units` });
      await publish();
      return transfer;
    }
    await waitUntil(() => action === 'receive');
    if (withdrawn()) {
      await receive();
      return transfer;
    }
    // What arrived goes to the order's lines, each up to what it still wants; the rest is store stock.
    const shares = shareBySku(
      order.lines.map((l) => ({ ...l, quantity: needs.get(l.lineId) ?? 0 })),
      receivedPerSku(),
    );
    await receive({
      orderId: order.orderId,
      lines: order.lines
        .map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: shares.get(l.lineId) ?? 0, reservationKey: receiptReservationKey(order.orderId, l.lineId, transfer.toLocationId, transfer.id) }))
        .filter((l) => l.quantity > 0),
    });
    return transfer;
  }

  await activities.recordTransfer({ transfer });
  if (forOrder) return orderTransfer(forOrder);
  const reserved = await activities.reserveTransferStock({ transfer });
  if (!reserved.ok) {
    transfer.status = 'rejected';
    record('transfer.rejected', { reason: `insufficient stock of ${reserved.sku} at ${transfer.fromLocationId}` });
    await publish();
    return transfer;
  }
  transfer.status = 'reserved';
  record('transfer.reserved');
  await publish();

  await condition(() => action === 'ship' || action === 'cancel');
  if (action === 'cancel') {
    await activities.releaseTransferStock({ transferId: transfer.id });
    transfer.status = 'cancelled';
    record('transfer.cancelled', { reason: cancelReason });
    await publish();
    return transfer;
  }

  await ship({});

  const untilExpected = Math.max(0, Date.parse(transfer.expectedAt) - Date.now());
  if (!(await condition(() => action === 'receive', untilExpected))) {
    transfer.overdue = true;
    record('transfer.overdue', { expectedAt: transfer.expectedAt });
    await publish();
    await condition(() => action === 'receive');
  }

  await receive();
  return transfer;
}

// Pure rules of returns: what may still be returned (and until when), and what a receipt refunds.
import type { FieldError } from '../errors.ts';
import type { Order } from '../orders/schemas.ts';
import type { FulfillmentResource } from '../fulfillments/schemas.ts';
import type { CreateReturnRequest } from './schemas.ts';

import { afterDays } from '../shipping/local-time.ts';

/** When a return opened at `createdAt` stops waiting for the goods: calendar days at the receiving location. */
export function receiptDeadline(createdAt: string, receiptDays: number, timezone: string | undefined): string {
  return afterDays(new Date(createdAt), receiptDays, timezone).toISOString();
}

/**
 * Units of each line the customer has (delivered or collected) and may still return: within
 * the window counted from each fulfillment's delivery or pickup, minus units already asked back.
 */
export function returnableUnits(
  fulfillments: readonly FulfillmentResource[],
  alreadyAsked: ReadonlyMap<string, number>,
  windowDays: number,
  now: number,
  /** The time zone of a location: the window is counted in its calendar days. */
  timezoneOf: (locationId: string) => string | undefined = () => undefined,
) {
  const had = new Map<string, number>();
  const inWindow = new Map<string, number>();
  for (const f of fulfillments) {
    if (f.status !== 'delivered' && f.status !== 'picked_up') continue;
    const doneAt = [...f.events].reverse().find((e) => e.type === 'fulfillment.delivered' || e.type === 'fulfillment.picked_up')?.at ?? f.updatedAt;
    const open = afterDays(new Date(doneAt), windowDays, timezoneOf(f.locationId)).getTime() >= now;
    for (const l of f.lines) {
      const units = l.quantity - l.short;
      had.set(l.lineId, (had.get(l.lineId) ?? 0) + units);
      if (open) inWindow.set(l.lineId, (inWindow.get(l.lineId) ?? 0) + units);
    }
  }
  const left = (map: Map<string, number>, lineId: string) => Math.max(0, (map.get(lineId) ?? 0) - (alreadyAsked.get(lineId) ?? 0));
  return { had: (lineId: string) => left(had, lineId), inWindow: (lineId: string) => left(inWindow, lineId) };
}

export type ReturnCheck = { ok: true } | { ok: false; status: 409 | 422; detail: string; errors?: FieldError[] };

/** Over-returning is 422 naming the line; asking for units whose window has closed is 409. */
export function checkReturnRequest(order: Pick<Order, 'lines'>, request: CreateReturnRequest, returnable: ReturnType<typeof returnableUnits>): ReturnCheck {
  const errors: FieldError[] = [];
  let outsideWindow = false;
  const asked = new Map<string, number>();
  request.lines.forEach((line, i) => {
    if (!order.lines.some((l) => l.lineId === line.lineId)) {
      errors.push({ path: `lines[${i}].lineId`, message: `the order has no line ${line.lineId}` });
      return;
    }
    asked.set(line.lineId, (asked.get(line.lineId) ?? 0) + line.quantity);
    const total = asked.get(line.lineId)!;
    if (total > returnable.had(line.lineId)) {
      errors.push({ path: `lines[${i}].quantity`, message: `at most ${returnable.had(line.lineId)} unit(s) of line ${line.lineId} were delivered or collected and not yet returned` });
    } else if (total > returnable.inWindow(line.lineId)) {
      outsideWindow = true;
    }
  });
  if (errors.length > 0) return { ok: false, status: 422, detail: 'The return asks for more than can be returned.', errors };
  if (outsideWindow) return { ok: false, status: 409, detail: 'The return window has closed for these units.' };
  return { ok: true };
}

/**
 * The refund for received units: their price, with the order-level discount (the payment
 * below the lines' total) applied pro rata. Shipping and tax are not refunded here.
 */
export function refundFor(order: { payment: { amount: { amount: number } }; lines: { lineId: string; unitPrice: { amount: number }; quantity: number }[] }, received: ReadonlyMap<string, number>): number {
  const total = order.lines.reduce((s, l) => s + l.quantity * l.unitPrice.amount, 0);
  if (total === 0) return 0;
  const value = order.lines.reduce((s, l) => s + (received.get(l.lineId) ?? 0) * l.unitPrice.amount, 0);
  return Math.floor((Math.min(order.payment.amount.amount, total) * value) / total);
}

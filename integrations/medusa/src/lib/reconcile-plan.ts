// What the Medusa order needs so it says what Fulcrum says, worked out from both states (not
// from the event that prompted it): a webhook repeated, late or missed changes nothing the
// next one does not mend. Pure, so every mapping choice is unit-tested.
import { amountOf, toMajor, toMinor } from './money';

export interface FulcrumOrder {
  id: string;
  status: string;
  payment: { authorizationId: string; amount: { amount: number; currency: string }; captured?: number; refunded?: number };
  lines: { lineId: string; sku: string; quantity: number; cancelled: number; shipped: number; returned: number }[];
  fulfillments: { id: string; locationId: string; method: string; status: string; lines: { lineId: string; quantity: number }[]; carrier?: string; trackingNumber?: string }[];
}

export interface FulcrumReturn {
  id: string;
  status: string;
  rma: string;
  lines: { lineId: string; quantity: number; received: number }[];
  refund?: { amount: { amount: number; currency: string }; status: string };
}

export interface MedusaOrderState {
  id: string;
  status: string;
  currency_code: string;
  metadata?: Record<string, unknown> | null;
  items: { id: string; quantity: unknown }[];
  fulfillments: { id: string; shipped_at?: string | null; delivered_at?: string | null; canceled_at?: string | null; metadata?: Record<string, unknown> | null }[];
  payments: { id: string; captured: number; refunded: number }[];
  returns: { id: string; status: string; items: { item_id: string; quantity: unknown; received_quantity?: unknown }[] }[];
}

export type Action =
  | { kind: 'fulfill'; fulcrumFulfillmentId: string; locationId: string; items: { id: string; quantity: number }[] }
  | { kind: 'ship'; fulcrumFulfillmentId: string; items: { id: string; quantity: number }[]; trackingNumber?: string; carrier?: string }
  | { kind: 'deliver'; fulcrumFulfillmentId: string }
  | { kind: 'cancel_order' }
  | { kind: 'cancel_units'; items: { id: string; quantity: number }[]; cancelled: Record<string, number> }
  | { kind: 'capture'; paymentId: string; amount: number }
  | { kind: 'refund'; paymentId: string; amount: number; note: string }
  | { kind: 'receive_return'; returnId: string; fulcrumReturnId: string; items: { id: string; quantity: number }[] }
  | { kind: 'record_return'; fulcrumReturnId: string; locationId?: string; items: { id: string; quantity: number }[] };

const PACKED = new Set(['packed', 'shipped', 'in_transit', 'delivered', 'ready_for_pickup', 'picked_up']);
const SHIPPED = new Set(['shipped', 'in_transit', 'delivered', 'picked_up']);
const DELIVERED = new Set(['delivered', 'picked_up']);
const RECEIVED = new Set(['received', 'refunded']);

const itemsOf = (lines: { lineId: string; quantity: number }[]) => lines.filter((l) => l.quantity > 0).map((l) => ({ id: l.lineId, quantity: l.quantity }));

function fulfillmentActions(fulcrum: FulcrumOrder, medusa: MedusaOrderState): Action[] {
  const actions: Action[] = [];
  const live = medusa.fulfillments.filter((f) => !f.canceled_at);
  for (const f of fulcrum.fulfillments) {
    if (!PACKED.has(f.status)) continue;
    const items = itemsOf(f.lines);
    if (items.length === 0) continue;
    const mine = live.find((m) => m.metadata?.fulcrum_fulfillment_id === f.id);
    if (!mine) actions.push({ kind: 'fulfill', fulcrumFulfillmentId: f.id, locationId: f.locationId, items });
    if (SHIPPED.has(f.status) && !mine?.shipped_at) {
      actions.push({ kind: 'ship', fulcrumFulfillmentId: f.id, items, ...(f.trackingNumber ? { trackingNumber: f.trackingNumber } : {}), ...(f.carrier ? { carrier: f.carrier } : {}) });
    }
    if (DELIVERED.has(f.status) && !mine?.delivered_at) actions.push({ kind: 'deliver', fulcrumFulfillmentId: f.id });
  }
  return actions;
}

function cancellationActions(fulcrum: FulcrumOrder, medusa: MedusaOrderState): Action[] {
  if (medusa.status === 'canceled') return [];
  if (fulcrum.status === 'cancelled') return [{ kind: 'cancel_order' }];
  const applied = (medusa.metadata?.fulcrum_cancelled ?? {}) as Record<string, number>;
  const cancelled: Record<string, number> = {};
  const items: { id: string; quantity: number }[] = [];
  for (const line of fulcrum.lines) {
    if (line.cancelled > 0) cancelled[line.lineId] = line.cancelled;
    const fresh = line.cancelled - (applied[line.lineId] ?? 0);
    if (fresh <= 0) continue;
    const item = medusa.items.find((i) => i.id === line.lineId);
    if (item) items.push({ id: item.id, quantity: Math.max(0, amountOf(item.quantity) - fresh) });
  }
  return items.length > 0 ? [{ kind: 'cancel_units', items, cancelled }] : [];
}

/** Refunded by Fulcrum in all: the order's own (cancellations) and each return's issued refund. */
function refundedByFulcrum(fulcrum: FulcrumOrder, returns: FulcrumReturn[]): number {
  return (fulcrum.payment.refunded ?? 0) + returns.reduce((sum, r) => sum + (r.refund?.status === 'issued' ? r.refund.amount.amount : 0), 0);
}

function paymentActions(fulcrum: FulcrumOrder, returns: FulcrumReturn[], medusa: MedusaOrderState): Action[] {
  const payment = medusa.payments.find((p) => p.id === fulcrum.payment.authorizationId) ?? medusa.payments[0];
  if (!payment) return [];
  const currency = medusa.currency_code;
  const actions: Action[] = [];
  const capture = (fulcrum.payment.captured ?? 0) - toMinor(payment.captured, currency);
  if (capture > 0) actions.push({ kind: 'capture', paymentId: payment.id, amount: toMajor(capture, currency) });
  const refund = refundedByFulcrum(fulcrum, returns) - toMinor(payment.refunded, currency);
  if (refund > 0) actions.push({ kind: 'refund', paymentId: payment.id, amount: toMajor(refund, currency), note: 'Refunded by Fulcrum' });
  return actions;
}

function returnActions(returns: FulcrumReturn[], medusa: MedusaOrderState): Action[] {
  const links = (medusa.metadata?.fulcrum_returns ?? {}) as Record<string, string>;
  const outside = (medusa.metadata?.fulcrum_outside_returns ?? {}) as Record<string, unknown>;
  const actions: Action[] = [];
  for (const r of returns) {
    if (!RECEIVED.has(r.status) || outside[r.id] !== undefined) continue;
    const items = r.lines.filter((l) => l.received > 0).map((l) => ({ id: l.lineId, quantity: l.received }));
    if (items.length === 0) continue;
    const medusaId = Object.keys(links).find((k) => links[k] === r.id);
    const mine = medusaId ? medusa.returns.find((m) => m.id === medusaId) : undefined;
    if (mine) {
      if (mine.status !== 'received' && mine.status !== 'canceled') actions.push({ kind: 'receive_return', returnId: mine.id, fulcrumReturnId: r.id, items });
    } else if (!medusaId) {
      actions.push({ kind: 'record_return', fulcrumReturnId: r.id, items });
    }
  }
  return actions;
}

/**
 * In this order: fulfilments before shipments, cancellations, returns received before the
 * refund is written (Medusa refunds what was captured).
 */
export function planReconcile(fulcrum: FulcrumOrder, returns: FulcrumReturn[], medusa: MedusaOrderState): Action[] {
  const payments = paymentActions(fulcrum, returns, medusa);
  return [
    ...fulfillmentActions(fulcrum, medusa),
    ...cancellationActions(fulcrum, medusa),
    ...payments.filter((a) => a.kind === 'capture'),
    ...returnActions(returns, medusa),
    ...payments.filter((a) => a.kind === 'refund'),
  ];
}

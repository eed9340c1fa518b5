// Reading a Medusa order with what the plugin needs, and keeping the plugin's own state in
// the order's metadata (fulcrum_*), where it survives Medusa restarts and is visible in the
// admin: the Fulcrum order id, the sync status and error, links to Fulcrum returns.
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils';
import type { MedusaContainer } from '@medusajs/framework/types';
import { amountOf } from './money';
import type { MedusaOrder } from './order-mapping';
import type { MedusaOrderState } from './reconcile-plan';

const FIELDS = [
  'id', 'display_id', 'status', 'created_at', 'sales_channel_id', 'email', 'currency_code', 'customer_id', 'metadata',
  'customer.id', 'customer.first_name', 'customer.last_name', 'customer.phone',
  'shipping_address.*', 'items.*', 'items.detail.quantity',
  'shipping_methods.shipping_option_id', 'shipping_methods.data',
  'payment_collections.payments.id', 'payment_collections.payments.amount',
  'payment_collections.payments.captures.amount', 'payment_collections.payments.refunds.amount',
  'fulfillments.id', 'fulfillments.shipped_at', 'fulfillments.delivered_at', 'fulfillments.canceled_at', 'fulfillments.metadata',
  'returns.id', 'returns.status', 'returns.items.item_id', 'returns.items.quantity', 'returns.items.received_quantity',
];

export type LoadedOrder = MedusaOrder & Record<string, unknown>;

export async function loadOrder(container: MedusaContainer, id: string): Promise<LoadedOrder | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY);
  const { data } = await query.graph({ entity: 'order', fields: FIELDS, filters: { id } });
  const order = data[0] as (LoadedOrder & { items?: { quantity?: unknown; detail?: { quantity?: unknown } | null }[] | null }) | undefined;
  // An order line's quantity lives on its order item (detail); older shapes carry it on the line.
  for (const item of order?.items ?? []) item.quantity = item.quantity ?? item.detail?.quantity;
  return order;
}

const sum = (rows: { amount: unknown }[] | null | undefined) => (rows ?? []).reduce((total, r) => total + amountOf(r.amount), 0);

export function stateOf(order: LoadedOrder): MedusaOrderState {
  const o = order as unknown as {
    fulfillments?: MedusaOrderState['fulfillments'] | null;
    returns?: MedusaOrderState['returns'] | null;
    payment_collections?: { payments?: { id: string; captures?: { amount: unknown }[]; refunds?: { amount: unknown }[] }[] }[] | null;
    status: string;
  };
  return {
    id: order.id,
    status: o.status,
    currency_code: order.currency_code,
    metadata: order.metadata ?? {},
    items: (order.items ?? []).map((i) => ({ id: i.id, quantity: i.quantity })),
    fulfillments: o.fulfillments ?? [],
    payments: (o.payment_collections ?? []).flatMap((c) => c.payments ?? []).map((p) => ({ id: p.id, captured: sum(p.captures), refunded: sum(p.refunds) })),
    returns: o.returns ?? [],
  };
}

/** Merges into the order's metadata (Medusa replaces the whole object on update). */
export async function saveOrderMetadata(container: MedusaContainer, id: string, patch: Record<string, unknown>): Promise<void> {
  const orders = container.resolve(Modules.ORDER);
  const [current] = await orders.listOrders({ id }, { select: ['id', 'metadata'] });
  await orders.updateOrders(id, { metadata: { ...(current?.metadata ?? {}), ...patch } });
}

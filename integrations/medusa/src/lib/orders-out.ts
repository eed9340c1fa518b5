// Medusa → Fulcrum: a placed order, and a return requested in Medusa. Sent at once by the
// subscribers and again by the sweep until Fulcrum has answered; the Idempotency-Key (and
// Fulcrum's (channel, channelOrderId) identity) make a re-send return the same order.
import type { MedusaContainer } from '@medusajs/framework/types';
import { ContainerRegistrationKeys } from '@medusajs/framework/utils';
import { FulcrumRefused } from './fulcrum-client';
import { amountOf } from './money';
import { loadOrder, saveOrderMetadata } from './medusa-order';
import { channelOf } from './options';
import { toFulcrumOrder, UnmappableOrder } from './order-mapping';
import type FulcrumModuleService from '../modules/fulcrum/service';

export type SendOutcome = 'sent' | 'already_sent' | 'refused' | 'failed' | 'not_found';
export interface Sent {
  outcome: SendOutcome;
  error?: string;
}

const log = (container: MedusaContainer) => container.resolve(ContainerRegistrationKeys.LOGGER);

export async function sendOrder(container: MedusaContainer, fulcrumModule: FulcrumModuleService, orderId: string): Promise<Sent> {
  const order = await loadOrder(container, orderId);
  if (!order) return { outcome: 'not_found' };
  if (typeof order.metadata?.fulcrum_order_id === 'string') return { outcome: 'already_sent' };
  const channel = channelOf(fulcrumModule.options, order.sales_channel_id);
  const attempts = Number(order.metadata?.fulcrum_attempts ?? 0) + 1;
  try {
    if (!channel) throw new UnmappableOrder(`sales channel ${order.sales_channel_id ?? '(none)'} maps to no Fulcrum channel (set channel or salesChannels)`);
    const created = await fulcrumModule.call<{ id: string; status: string }>(channel, 'POST', '/v1/orders', {
      body: toFulcrumOrder(order, channel),
      idempotencyKey: `medusa-order:${order.id}`,
    });
    await saveOrderMetadata(container, order.id, { fulcrum_order_id: created.id, fulcrum_channel: channel, fulcrum_sync: 'sent', fulcrum_error: null, fulcrum_attempts: attempts });
    log(container).info(`fulcrum: order ${order.id} → ${created.id} (${created.status})`);
    return { outcome: 'sent' };
  } catch (err) {
    const refused = err instanceof UnmappableOrder || err instanceof FulcrumRefused;
    const message = (err as Error).message;
    await saveOrderMetadata(container, order.id, { fulcrum_sync: refused ? 'refused' : 'pending', fulcrum_error: message.slice(0, 500), fulcrum_attempts: attempts });
    log(container).error(`fulcrum: order ${order.id} ${refused ? 'refused' : 'not sent yet'} (attempt ${attempts}): ${message}`);
    return { outcome: refused ? 'refused' : 'failed', error: message };
  }
}

interface MedusaReturn {
  id: string;
  order_id: string;
  status: string;
  location_id?: string | null;
  items?: { item_id: string; quantity: unknown; note?: string | null; reason?: { label?: string | null } | null }[] | null;
}

export async function sendReturn(container: MedusaContainer, fulcrumModule: FulcrumModuleService, returnId: string): Promise<SendOutcome> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY);
  const { data } = await query.graph({ entity: 'return', fields: ['id', 'order_id', 'status', 'location_id', 'items.item_id', 'items.quantity', 'items.note', 'items.reason.label'], filters: { id: returnId } });
  const ret = data[0] as MedusaReturn | undefined;
  if (!ret) return 'not_found';
  const order = await loadOrder(container, ret.order_id);
  const links = (order?.metadata?.fulcrum_returns ?? {}) as Record<string, string>;
  if (links[ret.id]) return 'already_sent';
  const fulcrumOrderId = order?.metadata?.fulcrum_order_id;
  if (!order || typeof fulcrumOrderId !== 'string') return 'failed';
  try {
    const lines = (ret.items ?? []).map((i) => ({ lineId: i.item_id, quantity: amountOf(i.quantity), reason: (i.reason?.label ?? i.note ?? 'Requested in Medusa').slice(0, 200) }));
    const opened = await fulcrumModule.call<{ id: string; rma: string }>(order.metadata?.fulcrum_channel as string | undefined, 'POST', '/v1/returns', {
      body: { orderId: fulcrumOrderId, method: 'mail', lines },
      idempotencyKey: `medusa-return:${ret.id}`,
    });
    await saveOrderMetadata(container, order.id, { fulcrum_returns: { ...links, [ret.id]: opened.id }, fulcrum_return_error: null });
    log(container).info(`fulcrum: return ${ret.id} → ${opened.id} (RMA ${opened.rma})`);
    return 'sent';
  } catch (err) {
    const message = (err as Error).message;
    const refusedBefore = (order.metadata?.fulcrum_refused_returns ?? {}) as Record<string, string>;
    await saveOrderMetadata(container, order.id, {
      fulcrum_return_error: `${ret.id}: ${message}`.slice(0, 500),
      ...(err instanceof FulcrumRefused ? { fulcrum_refused_returns: { ...refusedBefore, [ret.id]: message.slice(0, 300) } } : {}),
    });
    log(container).error(`fulcrum: return ${ret.id} not opened: ${message}`);
    return err instanceof FulcrumRefused ? 'refused' : 'failed';
  }
}

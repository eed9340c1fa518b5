// Fulcrum → Medusa: a Fulcrum order (named by a webhook, or found by the sweep) is read whole
// and mirrored onto its Medusa order, followed by the stock of its SKUs.
import type { MedusaContainer } from '@medusajs/framework/types';
import { Modules } from '@medusajs/framework/utils';
import { fulcrum, FulcrumRefused, type ClientSettings } from './fulcrum-client';
import { syncInventory } from './inventory';
import { loadOrder, saveOrderMetadata } from './medusa-order';
import { reconcileOrder } from './reconcile';
import type { FulcrumOrder, FulcrumReturn } from './reconcile-plan';
import type FulcrumModuleService from '../modules/fulcrum/service';

type FulcrumOrderResource = FulcrumOrder & { channel: string; channelOrderId: string };

/** Reads the order with whichever configured key may (a key sees its own channel's orders only). */
async function readOrder(fulcrumModule: FulcrumModuleService, fulcrumOrderId: string): Promise<{ order: FulcrumOrderResource; settings: ClientSettings } | undefined> {
  for (const key of fulcrumModule.keys()) {
    const settings = { ...fulcrumModule.settings(), key };
    try {
      return { order: await fulcrum<FulcrumOrderResource>(settings, 'GET', `/v1/orders/${encodeURIComponent(fulcrumOrderId)}`), settings };
    } catch (err) {
      if (err instanceof FulcrumRefused && (err.status === 403 || err.status === 404)) continue;
      throw err;
    }
  }
  return undefined;
}

export type MirrorOutcome = { mirrored: true; medusaOrderId: string; steps: string[] } | { mirrored: false; reason: string };

export async function mirrorOrder(container: MedusaContainer, fulcrumModule: FulcrumModuleService, fulcrumOrderId: string): Promise<MirrorOutcome> {
  const read = await readOrder(fulcrumModule, fulcrumOrderId);
  if (!read) return { mirrored: false, reason: 'not an order of this shop' };
  const medusaOrder = await loadOrder(container, read.order.channelOrderId);
  if (!medusaOrder) return { mirrored: false, reason: `no Medusa order ${read.order.channelOrderId}` };
  if (medusaOrder.metadata?.fulcrum_order_id !== read.order.id) {
    // Fulcrum took the order but its answer never arrived: the link is made here.
    await saveOrderMetadata(container, medusaOrder.id, { fulcrum_order_id: read.order.id, fulcrum_channel: read.order.channel, fulcrum_sync: 'sent', fulcrum_error: null });
  }
  const returns = await fulcrum<{ items: FulcrumReturn[] }>(read.settings, 'GET', `/v1/returns?orderId=${encodeURIComponent(read.order.id)}&limit=100`);
  // One mirror of an order at a time (a webhook and the sweep may meet): Medusa's locking module.
  const locking = container.resolve(Modules.LOCKING);
  const steps = await locking.execute(`fulcrum-mirror:${medusaOrder.id}`, () => reconcileOrder(container, fulcrumModule.options, medusaOrder.id, read.order, returns.items), { timeout: 60 });
  await syncInventory(container, fulcrumModule, [...new Set(read.order.lines.map((l) => l.sku))]);
  await saveOrderMetadata(container, medusaOrder.id, { fulcrum_mirrored_at: new Date().toISOString(), fulcrum_status: read.order.status });
  return { mirrored: true, medusaOrderId: medusaOrder.id, steps };
}

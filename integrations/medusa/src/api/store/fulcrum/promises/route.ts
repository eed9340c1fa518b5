// POST /store/fulcrum/promises { cart_id } (with the publishable key): Fulcrum's delivery
// promise for the cart — per method and service level, when it arrives (or is ready for
// pickup), what it costs Fulcrum and how many shipments — for a checkout to show dates.
import type { MedusaRequest, MedusaResponse } from '@medusajs/framework/http';
import { ContainerRegistrationKeys, MedusaError } from '@medusajs/framework/utils';
import { FULCRUM_MODULE } from '../../../../modules/fulcrum';
import type FulcrumModuleService from '../../../../modules/fulcrum/service';
import { FulcrumRefused, FulcrumUnavailable } from '../../../../lib/fulcrum-client';
import { channelOf } from '../../../../lib/options';
import { promiseFor, type CartLike } from '../../../../lib/promise';

export async function POST(req: MedusaRequest<{ cart_id?: unknown }>, res: MedusaResponse) {
  const cartId = req.body?.cart_id;
  if (typeof cartId !== 'string' || !/^cart_[A-Za-z0-9]{1,64}$/.test(cartId)) throw new MedusaError(MedusaError.Types.INVALID_DATA, 'cart_id: a cart id such as cart_01…');
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY);
  const { data } = await query.graph({ entity: 'cart', fields: ['id', 'currency_code', 'sales_channel_id', 'items.variant_sku', 'items.quantity', 'shipping_address.*'], filters: { id: cartId } });
  const cart = data[0] as (CartLike & { sales_channel_id?: string | null }) | undefined;
  if (!cart) throw new MedusaError(MedusaError.Types.NOT_FOUND, `cart ${cartId} not found`);
  const fulcrumModule = req.scope.resolve<FulcrumModuleService>(FULCRUM_MODULE);
  const channel = channelOf(fulcrumModule.options, cart.sales_channel_id);
  let promise: Awaited<ReturnType<typeof promiseFor>>;
  try {
    promise = await promiseFor(fulcrumModule.settings(channel), channel, cart);
  } catch (err) {
    if (err instanceof FulcrumRefused) throw new MedusaError(MedusaError.Types.INVALID_DATA, err.message);
    if (err instanceof FulcrumUnavailable) {
      res.setHeader('Retry-After', '5');
      res.status(503).json({ type: 'unavailable', message: 'Fulcrum is not answering; try again shortly' });
      return;
    }
    throw err;
  }
  res.status(200).json({
    promise_id: promise.id,
    options: promise.options.map((o) => ({ id: o.id, method: o.method, service_level: o.serviceLevel, estimated_delivery: o.estimatedDelivery ?? null, ready_at: o.readyAt ?? null, cost: o.cost, shipments: o.splitCount })),
  });
}

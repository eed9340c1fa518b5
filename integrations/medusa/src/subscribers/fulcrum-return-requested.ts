// A return requested in Medusa (admin or storefront) opens a Fulcrum return for the same units.
import type { SubscriberArgs, SubscriberConfig } from '@medusajs/framework';
import { FULCRUM_MODULE } from '../modules/fulcrum';
import type FulcrumModuleService from '../modules/fulcrum/service';
import { sendReturn } from '../lib/orders-out';

export default async function fulcrumReturnRequested({ event, container }: SubscriberArgs<{ order_id: string; return_id: string }>) {
  await sendReturn(container, container.resolve<FulcrumModuleService>(FULCRUM_MODULE), event.data.return_id);
}

export const config: SubscriberConfig = { event: 'order.return_requested' };

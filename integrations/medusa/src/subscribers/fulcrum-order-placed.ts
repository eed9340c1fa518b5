// A placed Medusa order goes to Fulcrum at once; if Fulcrum is down the sweep sends it later.
import type { SubscriberArgs, SubscriberConfig } from '@medusajs/framework';
import { FULCRUM_MODULE } from '../modules/fulcrum';
import type FulcrumModuleService from '../modules/fulcrum/service';
import { sendOrder } from '../lib/orders-out';

export default async function fulcrumOrderPlaced({ event, container }: SubscriberArgs<{ id: string }>) {
  await sendOrder(container, container.resolve<FulcrumModuleService>(FULCRUM_MODULE), event.data.id);
}

export const config: SubscriberConfig = { event: 'order.placed' };

// Every minute: re-send what did not reach Fulcrum, level the stock, report to Fulcrum.
import type { MedusaContainer } from '@medusajs/framework/types';
import { ContainerRegistrationKeys } from '@medusajs/framework/utils';
import { FULCRUM_MODULE } from '../modules/fulcrum';
import type FulcrumModuleService from '../modules/fulcrum/service';
import { sweep } from '../lib/sweep';

export default async function fulcrumSync(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER);
  const report = await sweep(container, container.resolve<FulcrumModuleService>(FULCRUM_MODULE));
  if (report.pendingOrders > 0 || report.refusedOrders > 0 || report.inventoryError) logger.warn(`fulcrum: sync behind: ${JSON.stringify(report)}`);
}

export const config = { name: 'fulcrum-sync', schedule: '* * * * *' };

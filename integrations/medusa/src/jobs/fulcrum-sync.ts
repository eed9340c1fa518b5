// Every minute: re-send what did not reach Fulcrum, level the stock, report to Fulcrum.
import type { MedusaContainer } from '@medusajs/framework/types';
import { ContainerRegistrationKeys } from '@medusajs/framework/utils';
import { FULCRUM_MODULE } from '../modules/fulcrum';
import type FulcrumModuleService from '../modules/fulcrum/service';
import { sweepOnce, type SweepReport } from '../lib/sweep';

export default async function fulcrumSync(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER);
  let report: SweepReport;
  try {
    report = await sweepOnce(container, container.resolve<FulcrumModuleService>(FULCRUM_MODULE), 1);
  } catch (err) {
    // The previous minute's sweep still holds the lock (a slow Fulcrum, a big catalogue), or this
    // one failed part-way (Medusa's database): either way the next minute tries again.
    logger.warn(`fulcrum: sweep did not finish: ${(err as Error).message}`);
    return;
  }
  if (report.pendingOrders > 0 || report.refusedOrders > 0 || report.inventoryError) logger.warn(`fulcrum: sync behind: ${JSON.stringify(report)}`);
}

export const config = { name: 'fulcrum-sync', schedule: '* * * * *' };

// The fulfillment workflow's activities: stock (barcodes, write-offs, releases, commits),
// its read model, and the carrier label.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';

export const { prepareFulfillment, saveFulfillmentSnapshot, writeOffShortPick, releaseReservedUnits, releaseFulfillmentStock, commitFulfillmentStock, voidShippingLabel } =
  proxyActivities<Activities>({ startToCloseTimeout: '15 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } });

export const { buyShippingLabel } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['NoCarrierService', 'UnknownLocation', 'SameDayCutoffMissed'] },
});

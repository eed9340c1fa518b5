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

/**
 * The same purchase, bounded (since `patched('label-purchase-bound')`): three tries with
 * backoff, so an associate packing while the carrier gateway is down hears why within the
 * request, and the order is flagged for ops, instead of an Update that waits forever.
 */
export const { buyShippingLabel: buyShippingLabelBounded } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes: ['NoCarrierService', 'UnknownLocation', 'SameDayCutoffMissed', 'CarrierGatewayRefused'] },
});

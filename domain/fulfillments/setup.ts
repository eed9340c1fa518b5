// What a fulfillment must know of its location before anyone works it: its SKUs' barcodes
// (scans are checked against them) and the location's pick SLA and pickup policy.
import { DEFAULT_FULFILLMENT_POLICY, type FulfillmentPolicy } from '../network/schemas.ts';

export interface FulfillmentSetup {
  barcodes: { sku: string; gtin?: string }[];
  pickSlaMinutes: number;
  pickupWindowHours: number;
  pickupReminderHours: number[];
  /** The location's time zone: a pickup window of whole days ends at the same local time. */
  timezone?: string;
}

/** The setup from a location's policy (defaults where it says nothing) and its SKUs' barcodes. */
export function fulfillmentSetup(
  location: { type?: string; timezone?: string | null; fulfillmentPolicy?: Partial<FulfillmentPolicy> | null } | undefined,
  barcodes: { sku: string; gtin?: string }[],
): FulfillmentSetup {
  const policy = location?.fulfillmentPolicy ?? {};
  const isStore = location?.type === 'store';
  return {
    barcodes,
    pickSlaMinutes: policy.pickSlaMinutes ?? (isStore ? DEFAULT_FULFILLMENT_POLICY.pickSlaMinutes.store : DEFAULT_FULFILLMENT_POLICY.pickSlaMinutes.other),
    pickupWindowHours: policy.pickupWindowHours ?? DEFAULT_FULFILLMENT_POLICY.pickupWindowHours,
    pickupReminderHours: [...(policy.pickupReminderHours ?? DEFAULT_FULFILLMENT_POLICY.pickupReminderHours)].sort((a, b) => a - b),
    ...(location?.timezone ? { timezone: location.timezone } : {}),
  };
}

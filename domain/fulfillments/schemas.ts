// Fulfillments as associates, carriers and the API see them: one shipment or pickup of an
// order, worked at one location by its own workflow (`fulfillment-<id>`).
import type { FulfillmentSetup } from './setup.ts';
import { z } from 'zod';
import { text } from '../text.ts';
import { Money } from '../money.ts';
import { FulfillmentMethod, FulfillmentStatus, FulfillmentTransfer, OrderEvent, ServiceLevel, type Address } from '../orders/schemas.ts';

export const FulfillmentLine = z.object({
  lineId: z.string(),
  sku: z.string(),
  gtin: z.string().optional(),
  quantity: z.int().describe('Units still to fulfil here (cancelled and short-picked units leave)'),
  picked: z.int(),
  short: z.int().describe('Units the location could not find; written off and sent back to the order for re-routing'),
});
export type FulfillmentLine = z.infer<typeof FulfillmentLine>;

export const Package = z
  .object({
    weightGrams: z.int().min(1).max(70_000),
    lengthCm: z.number().positive().max(300),
    widthCm: z.number().positive().max(300),
    heightCm: z.number().positive().max(300),
  })
  .strict();
export type Package = z.infer<typeof Package>;

export const FulfillmentEvent = OrderEvent;
export type FulfillmentEvent = z.infer<typeof FulfillmentEvent>;

export const PackageLabel = z.object({
  package: z.int().min(1).describe('The package, counted from 1 in the order packed'),
  gateway: z.enum(['builtin', 'karrio']).describe('The carrier gateway that bought the label'),
  carrier: z.string(),
  service: z.string(),
  trackingNumber: z.string().describe("This package's tracking number (multi-piece carriers give each package its own; the first is the shipment's)"),
  cost: Money.describe("This package's share of the shipment's cost (split evenly; the first package takes the remainder)"),
  voided: z.boolean().optional().describe('The label was voided: the shipment will not go'),
});
export type PackageLabel = z.infer<typeof PackageLabel>;

export const FulfillmentResource = z.object({
  id: z.string(),
  orderId: z.string(),
  locationId: z.string(),
  method: FulfillmentMethod,
  serviceLevel: ServiceLevel,
  status: FulfillmentStatus,
  lines: z.array(FulfillmentLine),
  packages: z.array(Package).optional(),
  carrier: z.string().optional(),
  service: z.string().optional(),
  trackingNumber: z.string().optional(),
  shippingCost: Money.optional(),
  labels: z.array(PackageLabel).optional().describe('Each package\'s label as bought, once packed'),
  trackingStatus: z.string().optional().describe('The last carrier event (in_transit, out_for_delivery, delivered, exception)'),
  pickupExpiresAt: z.string().optional(),
  customerArrivedAt: z.string().optional().describe('Curbside: when the customer said they are outside'),
  spot: z.string().optional(),
  pickDueAt: z.string().optional().describe('The location SLA: picking should start by then (for a pickup by transfer, counted from the receipt)'),
  transfer: FulfillmentTransfer.optional(),
  escalated: z.boolean(),
  onHold: z.boolean().describe('The order is on hold: nothing may be picked, packed, handed off or made ready'),
  createdAt: z.string(),
  updatedAt: z.string(),
  events: z.array(FulfillmentEvent),
});
export type FulfillmentResource = z.infer<typeof FulfillmentResource>;

const Reason = text(500, { trim: true });
const LineQuantity = z.object({ lineId: text(64), quantity: z.int().min(1).max(10_000) }).strict();

export const PickRequest = z
  .object({
    scans: z.array(z.object({ barcode: text(64), quantity: z.int().min(1).max(10_000) }).strict()).max(500).default([]),
    shortages: z.array(LineQuantity).max(200).optional(),
  })
  .strict();
export type PickRequest = z.infer<typeof PickRequest>;

export const PackRequest = z
  .object({
    packages: z.array(Package).min(1).max(50),
    labelFormat: z
      .enum(['pdf', 'zpl'])
      .optional()
      .describe('The printer the label is for, when a carrier gateway buys one format only (Karrio): pdf (the default) or zpl. The built-in gateway draws both.'),
  })
  .strict();
export type PackRequest = z.infer<typeof PackRequest>;

export const RejectRequest = z.object({ reason: Reason }).strict();
export type RejectRequest = z.infer<typeof RejectRequest>;

export const CollectRequest = z.object({ pickupCode: text(32) }).strict();
export type CollectRequest = z.infer<typeof CollectRequest>;

export const ArrivedRequest = z.object({ spot: text(50).optional() }).strict();
export type ArrivedRequest = z.infer<typeof ArrivedRequest>;

export const TrackingStatus = z.enum(['in_transit', 'out_for_delivery', 'delivered', 'exception']);
export type TrackingStatus = z.infer<typeof TrackingStatus>;

export const TrackingEventRequest = z
  .object({
    trackingNumber: text(64),
    status: TrackingStatus,
    at: z.iso.datetime({ offset: true }),
    detail: text(500, { min: 0 }).optional(),
    /** Where the carrier scanned the parcel (a depot, a city): repeats are told apart by status, location and time. */
    location: text(200).optional(),
  })
  .strict();
export type TrackingEventRequest = z.infer<typeof TrackingEventRequest>;

/** What the order workflow gives each fulfillment workflow it starts. */
export interface FulfillmentWorkflowInput {
  fulfillmentId: string;
  orderId: string;
  channel: string;
  locationId: string;
  method: FulfillmentMethod;
  serviceLevel: ServiceLevel;
  createdAt: string;
  lines: { lineId: string; sku: string; quantity: number; reservationKey: string }[];
  shipTo?: Address;
  onHold: boolean;
  /** Name for the label when the address carries none. */
  recipient: string;
  estimatedDelivery?: string;
  /** Grams CO₂e the plan estimated; the order shows it with the fulfillment. */
  co2eGrams?: number;
  transferFromLocationId?: string;
  /** Pickup by transfer: when the plan has the units at the store (the transfer's expected time). */
  transferExpectedAt?: string;
  /** Given by routing: the workflow starts without reading its location again. */
  setup?: FulfillmentSetup;
  /** When picking is due (from the order's clock, so the order's first view and the workflow agree). */
  pickDueAt?: string;
  /** The order wrote this fulfillment's first state (revision 1) with its routed snapshot. */
  firstStateSaved?: boolean;
}

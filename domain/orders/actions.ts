// Bodies of the exception actions. The HTTP routes and the order workflow's Update validators
// check them with these same schemas, so the API and `temporal workflow update execute` agree.
import { z } from 'zod';
import { text } from '../text.ts';
import { ExternalId } from '../identifiers.ts';
import { Address, FulfillmentMethod, ServiceLevel } from './schemas.ts';

const Reason = text(500, { trim: true });

export const HoldRequest = z.object({ reason: Reason }).strict();
export type HoldRequest = z.infer<typeof HoldRequest>;

export const ReleaseRequest = z.object({ reason: text(500, { min: 0 }).optional() }).strict();
export type ReleaseRequest = z.infer<typeof ReleaseRequest>;

export const CancelRequest = z
  .object({
    reason: Reason,
    lines: z
      .array(z.object({ lineId: text(64), quantity: z.int().min(1).max(10_000) }).strict())
      .min(1)
      .max(200)
      .optional()
      .describe('Units to cancel per line; every unshipped unit when left out'),
  })
  .strict();
export type CancelRequest = z.infer<typeof CancelRequest>;

export const RerouteRequest = z
  .object({
    fulfillmentId: text(100),
    toLocationId: ExternalId.optional(),
    excludeLocationIds: z.array(ExternalId).max(100).optional(),
    reason: Reason,
  })
  .strict();
export type RerouteRequest = z.infer<typeof RerouteRequest>;

export const AddressRequest = z.object({ shipTo: Address }).strict();
export type AddressRequest = z.infer<typeof AddressRequest>;

export const FulfillmentMethodRequest = z
  .object({
    method: FulfillmentMethod,
    pickupLocationId: ExternalId.optional().describe('pickup and curbside: the store; required for them'),
    shipTo: Address.optional().describe("ship and same_day: where to; the order's shipping address when left out"),
    serviceLevel: ServiceLevel.optional().describe('The new service level (same_day is implied by method same_day); unchanged when left out'),
    reason: text(500, { min: 0 }).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const pickup = body.method === 'pickup' || body.method === 'curbside';
    if (pickup && !body.pickupLocationId) ctx.addIssue({ code: 'custom', path: ['pickupLocationId'], message: `is required for method "${body.method}"` });
    if (!pickup && body.pickupLocationId) ctx.addIssue({ code: 'custom', path: ['pickupLocationId'], message: `is only for pickup and curbside, not "${body.method}"` });
    if (pickup && body.shipTo) ctx.addIssue({ code: 'custom', path: ['shipTo'], message: `is only for ship and same_day, not "${body.method}"` });
  });
export type FulfillmentMethodRequest = z.infer<typeof FulfillmentMethodRequest>;

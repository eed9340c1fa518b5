// Bodies of the exception actions. The HTTP routes and the order workflow's Update validators
// check them with these same schemas, so the API and `temporal workflow update execute` agree.
import { z } from 'zod';
import { text } from '../text.ts';
import { ExternalId } from '../identifiers.ts';
import { Address } from './schemas.ts';

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

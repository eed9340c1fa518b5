// API key roles and what a key is bound to.
import { z } from 'zod';
import { text } from '../text.ts';
import { ChannelName, ExternalId } from '../identifiers.ts';

export const Role = z.enum(['channel', 'associate', 'ops', 'exceptions', 'carrier', 'admin']);
export type Role = z.infer<typeof Role>;

/** A carrier's name as it appears in /v1/carriers/{carrier} and on fulfillments (ParcelCo, PaketPost, …). */
export const CarrierName = text(64).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'must be a carrier name such as ParcelCo (letters, digits, space, dot, dash, underscore)');

export const CreateApiKeyRequest = z
  .object({
    name: text(200),
    role: Role,
    channel: ChannelName.optional(),
    locationIds: z.array(ExternalId).min(1).max(1000).optional(),
    carrier: CarrierName.optional().describe('The carrier a carrier key speaks for, as in /v1/carriers/{carrier} (required for role "carrier")'),
    rateLimitPerMinute: z.int().min(1).max(1_000_000).optional().describe('Requests per minute for this key (default: FULCRUM_RATE_LIMIT_PER_MINUTE)'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body?.role === 'channel' && !body.channel) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'is required for role "channel"' });
    }
    if (body?.role !== 'channel' && body?.channel) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'applies only to role "channel"' });
    }
    if (body?.role === 'associate' && !body.locationIds) {
      ctx.addIssue({ code: 'custom', path: ['locationIds'], message: 'is required for role "associate"' });
    }
    if (body?.role !== 'associate' && body?.locationIds) {
      ctx.addIssue({ code: 'custom', path: ['locationIds'], message: 'applies only to role "associate"' });
    }
    if (body?.role === 'carrier' && !body.carrier) {
      ctx.addIssue({ code: 'custom', path: ['carrier'], message: 'is required for role "carrier": the carrier whose parcels this key may report on' });
    }
    if (body?.role !== 'carrier' && body?.carrier) {
      ctx.addIssue({ code: 'custom', path: ['carrier'], message: 'applies only to role "carrier"' });
    }
  });
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  channel: z.string().optional(),
  locationIds: z.array(z.string()).optional(),
  carrier: z.string().optional(),
  /** A carrier key made before keys named their carrier: it posts nothing until an admin binds it (PUT /v1/api-keys/{id}/carrier). */
  needsCarrier: z.boolean().optional(),
  createdAt: z.string(),
  lastUsedAt: z.string().optional(),
  revokedAt: z.string().optional(),
  rateLimitPerMinute: z.int().optional(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** The caller behind a request, as resolved from its API key. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  channel?: string;
  locationIds?: string[];
  /** A carrier key's carrier; absent on a carrier key made before keys named their carrier. */
  carrier?: string;
  rateLimitPerMinute?: number;
}

// API key roles and what a key is bound to.
import { z } from 'zod';
import { text } from '../text.ts';
import { ChannelName, ExternalId } from '../identifiers.ts';

export const Role = z.enum(['channel', 'associate', 'ops', 'exceptions', 'carrier', 'admin']);
export type Role = z.infer<typeof Role>;

export const CreateApiKeyRequest = z
  .object({
    name: text(200),
    role: Role,
    channel: ChannelName.optional(),
    locationIds: z.array(ExternalId).min(1).max(1000).optional(),
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
  });
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  channel: z.string().optional(),
  locationIds: z.array(z.string()).optional(),
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
  rateLimitPerMinute?: number;
}

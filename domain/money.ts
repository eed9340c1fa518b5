// Money as integer minor units with an ISO 4217 currency, never floats.
import { z } from 'zod';

export const Money = z
  .object({
    amount: z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Integer minor units (cents)'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  })
  .strict();
export type Money = z.infer<typeof Money>;

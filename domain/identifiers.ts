// Shapes of caller-supplied identifiers (location ids, SKUs, channel names).
import { z } from 'zod';

/** Caller's own ids such as `WH-EAST`, `STORE-042`, `SKU-123`: safe in URLs, logs and Temporal ids. */
export const ExternalId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'may contain only letters, digits, ".", "_", ":" and "-"');

export const ChannelName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, "_" or "-"');

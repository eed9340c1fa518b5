// Update validators check a body with the same zod schema as the HTTP route, so
// `temporal workflow update execute` gets the same 422 field errors as the API.
import type { z } from 'zod';
import { zodFieldErrors } from '../domain/errors.ts';
import { refuseFields } from './update-refusals.ts';

export function checkBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) refuseFields(zodFieldErrors(parsed.error));
  return parsed.data;
}

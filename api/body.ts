// Reads a JSON request body with a size limit; keeps the raw text for idempotency hashing.
import type { Context } from 'koa';
import { ProblemError } from './problem.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface JsonBody {
  raw: string;
  value: unknown;
}

export async function readJsonBody(ctx: Context, maxBytes = MAX_BODY_BYTES): Promise<JsonBody> {
  const tooLarge = () => new ProblemError(413, `The body may be at most ${maxBytes} bytes.`);
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return { raw, value: undefined };
  if (!ctx.is('application/json', 'application/*+json')) {
    throw new ProblemError(415, 'Send the body as application/json.');
  }
  try {
    return { raw, value: JSON.parse(raw) as unknown };
  } catch (err) {
    throw new ProblemError(400, `The body is not valid JSON: ${(err as Error).message}`);
  }
}

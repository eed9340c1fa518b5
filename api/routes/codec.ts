// The remote codec endpoint (Temporal's codec server protocol) for the Temporal UI and CLI:
// authorised ops see decrypted payloads there, while the Temporal server only stores
// ciphertext. Point the UI at `http://<api>/codec` (`--ui-codec-endpoint`) and the CLI with
// `--codec-endpoint http://<api>/codec --codec-auth "Bearer <ops key>"`.
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import { defineRoute } from '../route.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses } from './common.ts';

// Lenient on purpose: Temporal clients send the proto-JSON form, which may carry fields this
// endpoint has no use for (they are dropped) and leaves out empty ones.
// Base64 by pattern (not z.base64(), whose contentEncoding some schema tools cannot generate for).
const Base64 = z.string().max(4 * 1024 * 1024).regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64');
const JsonPayload = z.object({ metadata: z.record(text(256), Base64).optional(), data: Base64.optional() });
const Payloads = z.object({ payloads: z.array(JsonPayload).max(1000).default([]) });

function fromJson(p: z.infer<typeof JsonPayload>): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

function toJson(p: Payload): z.infer<typeof JsonPayload> {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  };
}

function codecRoute(direction: 'encode' | 'decode') {
  return defineRoute({
    method: 'post',
    path: `/codec/${direction}`,
    operationId: `codec${direction === 'encode' ? 'Encode' : 'Decode'}`,
    summary: direction === 'decode' ? 'Decrypt Temporal payloads for the Temporal UI or CLI' : 'Encrypt Temporal payloads (for the UI’s signal and update forms)',
    description: 'Temporal’s remote codec protocol. CORS allows the origins in FULCRUM_CODEC_CORS_ORIGINS.',
    tag: 'Codec',
    roles: ['ops'],
    body: Payloads,
    maxBodyBytes: 8 * 1024 * 1024,
    responses: { 200: { description: 'The payloads', schema: Payloads }, ...problemResponses(401, 403, 413, 422) },
    async handler({ body, deps }: { body: z.infer<typeof Payloads>; deps: ApiDeps }) {
      const payloads = body.payloads.map(fromJson);
      let out = payloads;
      if (deps.codec) {
        try {
          out = direction === 'decode' ? await deps.codec.decode(payloads) : await deps.codec.encode(payloads);
        } catch {
          // A tampered or foreign payload stays as it is: the UI shows it undecoded.
          out = payloads;
        }
      }
      return { status: 200, body: { payloads: out.map(toJson) } };
    },
  });
}

export const codecRoutes = [codecRoute('decode'), codecRoute('encode')];

// Standard Webhooks verification of Fulcrum's deliveries (webhook-id, webhook-timestamp,
// webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>"> keyed with the
// subscription's secret as UTF-8). A delivery older or newer than five minutes is refused, so
// a captured request cannot be replayed later.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOLERANCE_SECONDS = 300;

export type Verdict = { ok: true; id: string } | { ok: false; reason: string };

export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, rawBody: Buffer | string, nowSeconds = Math.floor(Date.now() / 1000)): Verdict {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = one('webhook-id');
  const timestamp = one('webhook-timestamp');
  const signatures = one('webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not Unix seconds' };
  if (Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return { ok: false, reason: 'webhook-timestamp is more than five minutes away' };
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.${body}`).digest();
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, id };
  }
  return { ok: false, reason: 'no webhook-signature matches' };
}

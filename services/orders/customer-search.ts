// The CustomerId search attribute ops filter orders by in the Temporal UI: a keyed hash of the
// channel and the channel's customer id, never the id in clear (search attributes are not
// encrypted with the payloads, and Temporal's visibility store and UI show them to anyone who
// can list workflows). The key is FULCRUM_CUSTOMER_SEARCH_KEY, else derived from the
// deployment's payload key; GET /v1/customers/{id}/temporal-search gives ops the value to filter by.
import { createHmac } from 'node:crypto';
import { parsePayloadKeys } from '../temporal/payload-codec.ts';

let cachedKey: Buffer | undefined;

/** The hashing key: its own setting, else derived from the current payload key, else a fixed label (payloads in clear, so nothing is hidden anyway). */
export function customerSearchKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  if (cachedKey && env === process.env) return cachedKey;
  const own = env.FULCRUM_CUSTOMER_SEARCH_KEY?.trim();
  let key: Buffer;
  if (own) key = Buffer.from(own, 'utf8');
  else {
    const payloadKeys = env.FULCRUM_PAYLOAD_KEYS?.trim() ? parsePayloadKeys(env.FULCRUM_PAYLOAD_KEYS) : undefined;
    const current = payloadKeys ? (payloadKeys.get(env.FULCRUM_PAYLOAD_KEY_ID ?? '') ?? [...payloadKeys.values()][0]) : undefined;
    key = current ? createHmac('sha256', current).update('fulcrum customer search attribute').digest() : Buffer.from('fulcrum customer search attribute (no key configured)');
  }
  if (env === process.env) cachedKey = key;
  return key;
}

/** The value of CustomerId for a channel's customer. */
export function customerSearchValue(channel: string, customerId: string, key: Buffer = customerSearchKey()): string {
  return `cus_${createHmac('sha256', key).update(`${channel}\u0000${customerId}`).digest('base64url').slice(0, 22)}`;
}

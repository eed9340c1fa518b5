// AES-256-GCM encryption of every Temporal payload (workflow inputs and results, activity
// arguments, signals, updates, queries, memos), so the Temporal server, its database and its
// UI never hold customer names, addresses or emails in clear. Keys carry ids: a payload
// names the key it was sealed with, so keys can be rotated (new payloads use the current
// key; old ones still open with theirs). Payloads that were never encrypted pass through.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PayloadMessage = proto.temporal.api.common.v1.Payload;

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly currentKeyId: string,
  ) {
    for (const [id, key] of keys) if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256)`);
    if (!keys.has(currentKeyId)) throw new Error(`payload key ${currentKeyId} is not configured`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = PayloadMessage.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCODING), 'encryption-key-id': Buffer.from(this.currentKeyId) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString();
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`payload sealed with unknown key ${keyId}`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return PayloadMessage.decode(plain) as Payload;
    });
  }
}

/** `id:base64key,id2:base64key` → keys by id (FULCRUM_PAYLOAD_KEYS). */
export function parsePayloadKeys(raw: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [id, material] = entry.split(':');
    if (!id || !material) throw new Error('config: FULCRUM_PAYLOAD_KEYS entries are id:base64key');
    keys.set(id, Buffer.from(material, 'base64'));
  }
  return keys;
}

export function generatePayloadKey(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

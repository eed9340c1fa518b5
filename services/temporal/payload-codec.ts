// AES-256-GCM encryption of every Temporal payload (workflow inputs and results, activity
// arguments, signals, updates, queries, memos), so the Temporal server, its database and its
// UI never hold customer names, addresses or emails in clear. Keys carry ids: a payload
// names the key it was sealed with, so keys can be rotated (new payloads use the current
// key; old ones still open with theirs). Payloads that were never encrypted pass through.
//
// Data regions: a market with a `dataRegion` has its customers' payloads sealed with that
// region's own key. The codec learns a workflow's region from the workflow id the SDK passes
// with every payload (an activity's payloads carry the id of the workflow that scheduled it, a
// child's start its own): first from the keys its payloads were already sealed with, else
// from the resolver (the order, fulfillment, return or promise behind the id, and its
// channel's market). Once regional, a workflow stays regional. A region this process has no
// key for is an error, never a quiet fallback to the deployment's key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import proto from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PayloadMessage = proto.temporal.api.common.v1.Payload;
/** Workflows whose region a process remembers; the oldest are forgotten first (the resolver finds them again). */
const REMEMBERED_WORKFLOWS = 100_000;

/** The data region of a workflow's payloads, or undefined for the deployment's key. `payloads` are the plain ones about to be sealed. */
export type DataRegionResolver = (workflowId: string, payloads: Payload[]) => Promise<string | undefined>;

export interface RegionalKeys {
  /** Region → its key ids, the current one first (all of them in the key ring). */
  regions: ReadonlyMap<string, readonly string[]>;
  resolve?: DataRegionResolver;
}

export class EncryptionCodec implements PayloadCodec {
  private readonly regionOfKey = new Map<string, string>();
  private readonly regionOfWorkflow = new Map<string, string>();

  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly currentKeyId: string,
    private readonly regional: RegionalKeys = { regions: new Map() },
  ) {
    for (const [id, key] of keys) if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256)`);
    if (!keys.has(currentKeyId)) throw new Error(`payload key ${currentKeyId} is not configured`);
    for (const [region, ids] of regional.regions) {
      for (const id of ids) {
        if (!keys.has(id)) throw new Error(`payload key ${id} of data region ${region} is not in FULCRUM_PAYLOAD_KEYS`);
        if (id === currentKeyId) throw new Error(`payload key ${id} of data region ${region} is also the deployment's current key`);
        this.regionOfKey.set(id, region);
      }
    }
  }

  /** The data regions this codec has keys for. */
  dataRegions(): string[] {
    return [...this.regional.regions.keys()];
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const keyId = await this.keyIdFor(context?.workflowId, payloads);
    const key = this.keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = PayloadMessage.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCODING), 'encryption-key-id': Buffer.from(keyId) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString();
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`payload sealed with unknown key ${keyId}`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      const region = this.regionOfKey.get(keyId);
      if (region && context?.workflowId) this.remember(context.workflowId, region);
      return PayloadMessage.decode(plain) as Payload;
    });
  }

  private async keyIdFor(workflowId: string | undefined, payloads: Payload[]): Promise<string> {
    if (!workflowId) return this.currentKeyId;
    const region = this.regionOfWorkflow.get(workflowId) ?? (await this.regional.resolve?.(workflowId, payloads));
    if (!region) return this.currentKeyId;
    const ids = this.regional.regions.get(region);
    if (!ids?.[0]) throw new Error(`no payload key for data region ${region} (workflow ${workflowId}): add one to FULCRUM_PAYLOAD_REGION_KEYS`);
    this.remember(workflowId, region);
    return ids[0];
  }

  private remember(workflowId: string, region: string): void {
    if (this.regionOfWorkflow.get(workflowId) === region) return;
    this.regionOfWorkflow.set(workflowId, region);
    if (this.regionOfWorkflow.size > REMEMBERED_WORKFLOWS) this.regionOfWorkflow.delete(this.regionOfWorkflow.keys().next().value!);
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

/** `region=keyId,region=olderKeyId,…` → each region's key ids, the first named its current one (FULCRUM_PAYLOAD_REGION_KEYS). */
export function parseRegionKeys(raw: string): Map<string, string[]> {
  const regions = new Map<string, string[]>();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [region, keyId, extra] = entry.split('=').map((p) => p.trim());
    if (!region || !keyId || extra !== undefined) throw new Error('config: FULCRUM_PAYLOAD_REGION_KEYS entries are region=keyId');
    regions.set(region, [...(regions.get(region) ?? []), keyId]);
  }
  return regions;
}

export function generatePayloadKey(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

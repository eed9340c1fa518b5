// Writes a workflow history as a replay test file: the proto-JSON `temporal workflow show
// --output json` prints, with payloads decrypted (the replay test has no keys).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

async function decrypt(node: unknown, codec: PayloadCodec): Promise<void> {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
  for (const [field, value] of Object.entries(node)) {
    if (field === 'payloads' && Array.isArray(value)) {
      (node as Record<string, unknown>)[field] = await codec.decode(value as Payload[]);
    } else if (value && typeof value === 'object') {
      await decrypt(value, codec);
    }
  }
}

/** Fetches `workflowId`'s history and writes it to `file`; returns the number of events. */
export async function saveHistory(client: Client, workflowId: string, file: string, codec?: PayloadCodec, options: { compact?: boolean } = {}): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  if (codec) await decrypt(history, codec);
  mkdirSync(dirname(file), { recursive: true });
  const json = JSON.parse(historyToJSON(history)) as unknown;
  writeFileSync(file, `${options.compact ? JSON.stringify(json) : JSON.stringify(json, null, 2)}\n`);
  return history.events?.length ?? 0;
}

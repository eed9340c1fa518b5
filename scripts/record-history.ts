// `npm run record-history -- <workflowId> <name>`: saves a workflow's event history as
// test/histories/<name>.json, for the replay test that guards workflow code changes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { Payload } from '@temporalio/common';
import { loadConfig, projectRoot } from '../config/index.ts';
import { payloadCodec } from '../workers/temporal-options.ts';

const [workflowId, name] = process.argv.slice(2);
if (!workflowId || !name) {
  console.error('usage: npm run record-history -- <workflowId> <name>   (TEMPORAL_ADDRESS, default 127.0.0.1:7233)');
  process.exit(2);
}
const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
const history = await client.workflow.getHandle(workflowId).fetchHistory();
// Payloads encrypted with this deployment's keys are stored decrypted: the replay test has no keys.
const config = loadConfig();
const keyFile = join(config.dataDir, 'payload-keys');
const keys = config.payloadKeys ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
const codec = keys ? payloadCodec({ payloadKeys: keys, payloadKeyId: undefined }) : undefined;
async function decrypt(node: unknown): Promise<void> {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
  for (const [field, value] of Object.entries(node)) {
    if (field === 'payloads' && Array.isArray(value) && codec) {
      (node as Record<string, unknown>)[field] = await codec.decode(value as Payload[]);
    } else if (value && typeof value === 'object') {
      await decrypt(value);
    }
  }
}
await decrypt(history);
const dir = join(projectRoot, 'test', 'histories');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${name}.json`);
// The same proto-JSON form `temporal workflow show --output json` writes.
writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
console.log(`record-history: ${history.events?.length ?? 0} events of ${workflowId} → ${file}`);
await connection.close();

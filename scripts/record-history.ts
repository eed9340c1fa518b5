// `npm run record-history -- <workflowId> <name>`: saves a workflow's event history as
// test/histories/<name>.json, for the replay test that guards workflow code changes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, projectRoot } from '../config/index.ts';
import { payloadCodec } from '../services/temporal/options.ts';
import { saveHistory } from './lib/history-file.ts';

const [workflowId, name] = process.argv.slice(2);
if (!workflowId || !name) {
  console.error('usage: npm run record-history -- <workflowId> <name>   (TEMPORAL_ADDRESS, default 127.0.0.1:7233)');
  process.exit(2);
}
const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
// Payloads encrypted with this deployment's keys are stored decrypted: the replay test has no keys.
const config = loadConfig();
const keyFile = join(config.dataDir, 'payload-keys');
const keys = config.payloadKeys ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
const codec = keys ? payloadCodec({ payloadKeys: keys, payloadKeyId: undefined }) : undefined;
const file = join(projectRoot, 'test', 'histories', `${name}.json`);
const events = await saveHistory(client, workflowId, file, codec);
console.log(`record-history: ${events} events of ${workflowId} → ${file}`);
await connection.close();

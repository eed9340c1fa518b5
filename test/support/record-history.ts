// `npm run record-histories` runs the scenario tests with FULCRUM_RECORD_HISTORIES set: each
// test that walks a workflow path saves the histories it produced into test/histories/ for
// the replay check. In a normal run this does nothing.
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { saveHistory } from '../../scripts/lib/history-file.ts';
import { payloadCodec } from '../../services/temporal/options.ts';
import type { TestStack } from './stack.ts';

function target(): string | undefined {
  const setting = process.env.FULCRUM_RECORD_HISTORIES;
  if (!setting) return undefined;
  return setting === '1' ? join(import.meta.dirname, '..', 'histories') : setting;
}

export async function recordHistories(source: TestStack | { client: Client; codec?: PayloadCodec }, histories: Record<string, string>): Promise<void> {
  const dir = target();
  if (!dir) return;
  const { client, codec } =
    'api' in source ? { client: source.api.deps.temporal, codec: payloadCodec({ payloadKeys: source.payloadKeys, payloadKeyId: undefined }) } : source;
  for (const [name, workflowId] of Object.entries(histories)) {
    await saveHistory(client, workflowId, join(dir, `${name}.json`), codec, { compact: true });
  }
}

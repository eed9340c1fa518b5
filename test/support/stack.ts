// A test file's own Fulcrum: a fresh database on the shared Postgres, a worker on its own
// task queue of the shared Temporal server (with the run's one workflow bundle), and the
// real API on an ephemeral port. Tests talk to it over HTTP like any client.
import { randomBytes } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { inject } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.ts';
import { createDb, migrateLatest, type Db } from '../../db/knex.ts';
import { createApiKeysRepository, generateApiKey } from '../../db/repositories/api-keys.ts';
import type { Role } from '../../domain/access/roles.ts';
import { createFulcrumWorker } from '../../workers/worker.ts';
import { startWebhookDispatcher } from '../../workers/webhook-dispatcher.ts';
import { loadConfig } from '../../config/index.ts';
import { startMessageDispatcher } from '../../workers/message-dispatcher.ts';
import { createMessageSender } from '../../activities/adapters/messages/index.ts';
import { generatePayloadKey } from '../../services/temporal/payload-codec.ts';
import { payloadCodec } from '../../services/temporal/options.ts';
import { createDatabaseBeside } from '../../scripts/lib/databases.ts';

export interface TestStack {
  url: string;
  databaseUrl: string;
  temporalAddress: string;
  db: Db;
  api: RunningApi;
  taskQueue: string;
  adminKey: string;
  /** The payload keys (FULCRUM_PAYLOAD_KEYS form) this stack's API and worker encrypt with. */
  payloadKeys: string;
  /** Its data regions' keys (FULCRUM_PAYLOAD_REGION_KEYS form): `eu-central` has the key `eu`. */
  payloadRegionKeys: string;
  /** Creates a key with the given role directly in the database. */
  key(role: Role, binding?: { channel?: string; locationIds?: string[]; carrier?: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * The stack's worker: the real one, on its task queue, with the run's workflow bundle and the
 * stack's payload keys. `startTestStack` runs one unless told not to; a test that needs work
 * to wait for a worker starts it itself. FULCRUM_STACK_WORKERS=2 (`npm run test:cluster`)
 * runs that many on the queue, so tasks are shared between workers as in a deployment.
 */
export async function startStackWorker(stack: Pick<TestStack, 'temporalAddress' | 'taskQueue' | 'db' | 'api' | 'payloadKeys' | 'payloadRegionKeys'>): Promise<{ stop(): Promise<void> }> {
  const count = Math.max(1, Number(process.env.FULCRUM_STACK_WORKERS ?? 1) || 1);
  // One connection each: Temporal's core refuses two workers for one queue on one client.
  const connections: NativeConnection[] = [];
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const connection = await NativeConnection.connect({ address: stack.temporalAddress });
    connections.push(connection);
    workers.push(
      await createFulcrumWorker({
        connection,
        namespace: 'default',
        taskQueue: stack.taskQueue,
        db: stack.db,
        temporal: stack.api.deps.temporal,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        dataConverter: { payloadCodecs: [payloadCodec({ payloadKeys: stack.payloadKeys, payloadKeyId: undefined, payloadRegionKeys: stack.payloadRegionKeys }, stack.db)!] },
      }),
    );
  }
  const running = workers.map((worker) => worker.run());
  return {
    async stop() {
      for (const worker of workers) worker.shutdown();
      await Promise.all(running);
      for (const connection of connections) await connection.close();
    },
  };
}

/** A fresh database on the run's Postgres, migrated to the latest schema. */
export async function createTestDatabase(): Promise<{ databaseUrl: string; db: Db }> {
  const databaseUrl = await createDatabaseBeside(inject('postgresAdminUrl'), 'fulcrum_test');
  const db = createDb(databaseUrl, { max: 30 });
  await migrateLatest(db);
  return { databaseUrl, db };
}

export async function startTestStack(options: { worker?: boolean; webhooks?: boolean } = {}): Promise<TestStack> {
  const { databaseUrl, db } = await createTestDatabase();

  const taskQueue = `test-${randomBytes(6).toString('hex')}`;
  const temporalAddress = inject('temporalAddress');
  // Payloads are encrypted as in production, so tests see what ops would.
  // A second key for the data region eu-central, as a deployment with an EU market has.
  const payloadKeys = `${generatePayloadKey('test')},${generatePayloadKey('eu')}`;
  const payloadRegionKeys = 'eu-central=eu';
  const codec = payloadCodec({ payloadKeys, payloadKeyId: undefined, payloadRegionKeys }, db)!;
  const api = await startApi({
    codec,
    db,
    temporalAddress,
    namespace: 'default',
    taskQueue,
    port: 0,
    logger: pino({ level: 'silent' }),
  });

  const worker = options.worker !== false ? await startStackWorker({ temporalAddress, taskQueue, db, api, payloadKeys, payloadRegionKeys }) : undefined;
  // Webhooks go out from the worker's process; here with short delays so retries fit in a test.
  const dispatcher = options.worker !== false && options.webhooks !== false ? startWebhookDispatcher({ db, logger: pino({ level: 'silent' }), intervalMs: 100, baseDelayMs: 200 }) : undefined;
  // Customer messages go out from the worker's process too: SMTP when the test configures it, else recorded.
  const messagesConfig = loadConfig().messages;
  const messages =
    options.worker !== false && options.webhooks !== false
      ? startMessageDispatcher({ db, logger: pino({ level: 'silent' }), sender: createMessageSender(messagesConfig), defaultFrom: messagesConfig.defaultFrom, trackingUrls: messagesConfig.trackingUrls, intervalMs: 250, baseDelayMs: 200 })
      : undefined;

  const apiKeys = createApiKeysRepository(db);
  const adminKey = generateApiKey();
  await apiKeys.install(adminKey, { id: 'key_admin', name: 'test admin', role: 'admin' }, 'env');

  let keyCount = 0;
  return {
    url: api.url,
    databaseUrl,
    temporalAddress,
    db,
    api,
    taskQueue,
    adminKey,
    payloadKeys,
    payloadRegionKeys,
    async key(role, binding = {}) {
      const key = generateApiKey();
      keyCount += 1;
      await apiKeys.create(key, { id: `key_test_${keyCount}_${role}`, name: `test ${role}`, role, ...binding });
      return key;
    },
    async close() {
      await dispatcher?.stop();
      await messages?.stop();
      await worker?.stop();
      await api.close();
      await db.destroy();
    },
  };
}

/** A small HTTP client bound to one API key. */
export function client(stack: TestStack, key?: string) {
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body ?? {}, headers),
    put: (path: string, body: unknown, headers?: Record<string, string>) => call('PUT', path, body, headers),
    delete: (path: string) => call('DELETE', path),
  };
}

/**
 * A carrier's HTTP client for any carrier: each `/v1/carriers/{carrier}/events` call goes out
 * with a key bound to that carrier (made on first use), as each real carrier has its own key.
 */
export function carrierClient(stack: TestStack): ReturnType<typeof client> {
  const keys = new Map<string, Promise<string>>();
  const asCarrier = async (path: string) => {
    const carrier = /^\/v1\/carriers\/([^/]+)\//.exec(path)?.[1];
    if (!carrier) throw new Error(`carrierClient only posts carrier events, not ${path}`);
    const name = decodeURIComponent(carrier);
    if (!keys.has(name)) keys.set(name, stack.key('carrier', { carrier: name }));
    return client(stack, await keys.get(name)!);
  };
  return {
    get: async (path, headers) => (await asCarrier(path)).get(path, headers),
    post: async (path, body, headers) => (await asCarrier(path)).post(path, body, headers),
    put: async (path, body, headers) => (await asCarrier(path)).put(path, body, headers),
    delete: async (path) => (await asCarrier(path)).delete(path),
  };
}

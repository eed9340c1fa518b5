// `npm start`: the whole stack on a laptop — embedded Postgres, the Temporal dev server
// with its UI, migrations, the demo network, the worker and the API — then the URLs and
// demo keys. Ctrl-C stops everything. DATABASE_URL / TEMPORAL_ADDRESS use external servers.
import { startDemoInbox, startDemoKarrio } from './lib/demo-outside.ts';
import type { RunningInbox } from './lib/maildev.ts';
import type { RunningKarrio } from './lib/karrio.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, projectRoot } from '../config/index.ts';
import { createDb, migrateLatest } from '../db/knex.ts';
import { seedDemoNetwork } from './lib/demo-network.ts';
import { generatePayloadKey, parseRegionKeys } from '../services/temporal/payload-codec.ts';
import { startInfrastructure } from './lib/infrastructure.ts';

// FULCRUM_CARRIER_GATEWAY=karrio with no Karrio of its own: `npm start` runs one (below).
const demoKarrio = process.env.FULCRUM_CARRIER_GATEWAY === 'karrio' && !process.env.KARRIO_URL;
const config = loadConfig(demoKarrio ? { ...process.env, FULCRUM_CARRIER_GATEWAY: 'builtin' } : process.env);
const log = (line: string) => console.log(`fulcrum: ${line}`);

function adminKey(): string {
  if (config.adminKey) return config.adminKey;
  const file = join(config.dataDir, 'admin-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `fk_admin_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * Temporal payload encryption keys: FULCRUM_PAYLOAD_KEYS (with FULCRUM_PAYLOAD_REGION_KEYS),
 * else generated into the data directory: the deployment's key and one for the demo's data
 * region eu-central (the German market's customers).
 */
function payloadKeys(): { keys: string; regionKeys: string } {
  if (config.payloadKeys) return { keys: config.payloadKeys, regionKeys: config.payloadRegionKeys ?? '' };
  const file = join(config.dataDir, 'payload-keys');
  let keys = existsSync(file) ? readFileSync(file, 'utf8').trim() : generatePayloadKey('k1');
  if (!/(^|,)eu-central-1:/.test(keys)) keys = `${keys},${generatePayloadKey('eu-central-1')}`;
  writeFileSync(file, `${keys}\n`, { mode: 0o600 });
  return { keys, regionKeys: 'eu-central=eu-central-1' };
}

function runProcess(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, entry)], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}`).join('\n');
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(`${prefix(chunk)}\n`));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`${prefix(chunk)}\n`));
  // If this process is ended before it could stop them in order, they stop with it.
  process.once('exit', () => child.kill('SIGTERM'));
  return child;
}

async function waitForReady(url: string, timeoutMs: number, children: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (children.some((c) => c.exitCode !== null)) throw new Error('a Fulcrum process exited during start-up');
    try {
      const res = await fetch(`${url}/ready`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url}/ready did not answer 200 within ${timeoutMs / 1000} s`);
}

const infra = await startInfrastructure(config, log);
const children: ChildProcess[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (stopping) return new Promise(() => {});
  stopping = true;
  log('stopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        }),
    ),
  );
  await outside.inbox?.stop();
  await outside.karrio?.stop();
  await infra.stop();
  log('stopped');
  process.exit(code);
}
/** The outside systems started for the demo (a customer inbox, Karrio): stopped with the rest. */
const outside: { inbox?: RunningInbox; karrio?: RunningKarrio } = {};
process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

try {
  const key = adminKey();
  const db = createDb(infra.databaseUrl, { max: 4 });
  await migrateLatest(db);
  log('seeding the demo network (Chicagoland: 3 warehouses, 12 stores, 1 dark store, 50 SKUs)…');
  const payload = payloadKeys();
  const demoKeys = await seedDemoNetwork(db, key, [...parseRegionKeys(payload.regionKeys).keys()]);
  await db.destroy();

  // The customer's inbox, unless the deployment names its own SMTP server.
  if (!config.messages.smtpUrl) outside.inbox = await startDemoInbox();
  const karrio = demoKarrio ? await startDemoKarrio() : undefined;
  outside.karrio = karrio?.karrio;

  const env = {
    ...process.env,
    DATABASE_URL: infra.databaseUrl,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    TEMPORAL_NAMESPACE: config.temporalNamespace,
    FULCRUM_ADMIN_KEY: key,
    FULCRUM_PAYLOAD_KEYS: payload.keys,
    FULCRUM_PAYLOAD_REGION_KEYS: payload.regionKeys,
    // The demo's webhook receivers run on this machine: loopback is allowed, nothing else inside the network.
    FULCRUM_WEBHOOK_ALLOW_HOSTS: process.env.FULCRUM_WEBHOOK_ALLOW_HOSTS ?? '127.0.0.0/8,::1,localhost',
    ...(outside.inbox ? { FULCRUM_SMTP_URL: outside.inbox.smtpUrl } : {}),
    ...(karrio?.env ?? {}),
  };
  // FULCRUM_WORKERS worker processes (two with `npm run cluster`), each with its Prometheus endpoint.
  const workerCount = Math.max(1, Number(process.env.FULCRUM_WORKERS ?? 1) || 1);
  const metricsUrls: string[] = [];
  for (let i = 0; i < workerCount; i++) {
    const metricsAddress = process.env.FULCRUM_WORKER_METRICS_ADDRESS && workerCount === 1 ? process.env.FULCRUM_WORKER_METRICS_ADDRESS : `127.0.0.1:${9464 + i}`;
    if (metricsAddress !== 'off') metricsUrls.push(`http://${metricsAddress}/metrics`);
    children.push(runProcess(workerCount > 1 ? `worker-${i + 1}` : 'worker', 'workers/main.ts', { ...env, FULCRUM_WORKER_METRICS_ADDRESS: metricsAddress }));
  }
  children.push(runProcess('api', 'api/main.ts', env));
  for (const child of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        log(`a process exited unexpectedly (code ${code}); stopping the stack`);
        void stopAll(1);
      }
    });
  }
  const apiUrl = `http://127.0.0.1:${config.port}`;
  await waitForReady(apiUrl, 90_000, children);
  await karrio?.connect(apiUrl);

  const lines = [
    '',
    'Fulcrum is running.',
    `  Console          ${apiUrl}/app   (sign in with one of the keys below)`,
    `  API              ${apiUrl}/v1`,
    `  API reference    ${apiUrl}/docs   (OpenAPI: ${apiUrl}/openapi.json)`,
    `  Readiness        ${apiUrl}/ready`,
    `  Temporal UI      ${infra.temporalUiUrl ?? '(external Temporal: use its own UI)'}`,
    `  Temporal         ${infra.temporalAddress} (namespace ${config.temporalNamespace}${config.temporalAddress ? '' : config.temporalServer === 'cluster' ? ", Temporal's own server on Postgres" : ', dev server'})`,
    `  Customer inbox   ${outside.inbox?.webUrl ?? `(customer emails go to ${config.messages.smtpUrl?.replace(/\/\/[^@/]*@/, '//…@')})`}`,
    `  Carrier gateway  ${karrio ? `Karrio ${karrio.karrio.url} (generic carriers priced like the demo's rate cards)` : config.carriers.karrio ? `Karrio ${config.carriers.karrio.url}` : 'built-in (rate cards, labels drawn by Fulcrum; FULCRUM_CARRIER_GATEWAY=karrio npm start for Karrio)'}`,
    `  Metrics          ${apiUrl}/metrics (API)${metricsUrls.length ? `  ${metricsUrls.join('  ')} (worker${metricsUrls.length > 1 ? 's' : ''})` : ''}`,
    '',
    `  Admin key        ${key}${config.adminKey ? '  (from FULCRUM_ADMIN_KEY)' : `  (kept in ${join(config.dataDir, 'admin-key')})`}`,
    ...demoKeys.map(
      (k) => `  ${k.name.padEnd(30)} ${k.key}  (${k.role}${k.channel ? ` ${k.channel}` : ''}${k.carrier ? ` ${k.carrier}` : ''}${k.locationIds ? ` ${k.locationIds.join(',')}` : ''})`,
    ),
    '',
    'Try:',
    `  curl -s -H "Authorization: Bearer ${demoKeys[0]!.key}" "${apiUrl}/v1/availability?sku=SKU-001"`,
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
} catch (err) {
  console.error(`fulcrum: start failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  await stopAll(1);
}

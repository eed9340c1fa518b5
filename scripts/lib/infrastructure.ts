// Brings up what the configuration does not point at: embedded Postgres and the Temporal
// dev server (data kept under the data directory), or checks the external ones.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { FulcrumConfig } from '../../config/index.ts';
import { startEmbeddedPostgres } from '../dev/embedded-postgres.ts';
import { ensureSearchAttributes } from '../../workers/register-search-attributes.ts';
import { temporalAccess } from '../../services/temporal/options.ts';
import { startTemporalDevServer } from '../dev/temporal-dev-server.ts';
import { clusterPostgres, startTemporalCluster, startTemporalUi } from '../dev/temporal-cluster.ts';

export interface Infrastructure {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | undefined;
  stop(): Promise<void>;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export async function startInfrastructure(config: FulcrumConfig, log: (line: string) => void): Promise<Infrastructure> {
  mkdirSync(config.dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  try {
    let databaseUrl = config.databaseUrl;
    let adminUrl = config.databaseUrl;
    if (!databaseUrl) {
      log(`starting embedded Postgres on 127.0.0.1:${config.embeddedPostgresPort} (data in ${join(config.dataDir, 'postgres')})`);
      const postgres = await startEmbeddedPostgres({
        dataDir: join(config.dataDir, 'postgres'),
        port: config.embeddedPostgresPort,
        persistent: true,
      });
      stops.push(() => postgres.stop());
      await ensureDatabase(postgres.url(), 'fulcrum');
      databaseUrl = postgres.url('fulcrum');
      adminUrl = postgres.url();
    }

    let temporalAddress = config.temporalAddress;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress && config.temporalServer === 'cluster') {
      // Temporal's own server (the production binary) with its persistence and SQL visibility in this Postgres.
      log(`starting Temporal's server on 127.0.0.1:${config.temporalDevPort} (Postgres persistence and SQL visibility; logs in ${join(config.dataDir, 'temporal-cluster')})`);
      const dir = join(config.dataDir, 'temporal-cluster');
      mkdirSync(dir, { recursive: true });
      const temporal = await startTemporalCluster({ postgres: clusterPostgres(adminUrl!), dir, port: config.temporalDevPort, namespace: config.temporalNamespace });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
      const ui = await startTemporalUi({ temporalAddress, port: config.temporalUiPort, dir, codecEndpoint: `http://127.0.0.1:${config.port}/codec`, namespace: config.temporalNamespace });
      stops.push(() => ui.stop());
      temporalUiUrl = ui.url;
    }
    if (!temporalAddress) {
      log(`starting the Temporal dev server on 127.0.0.1:${config.temporalDevPort} (UI on ${config.temporalUiPort})`);
      const temporal = await startTemporalDevServer({
        port: config.temporalDevPort,
        uiPort: config.temporalUiPort,
        uiCodecEndpoint: `http://127.0.0.1:${config.port}/codec`,
        dbFilename: join(config.dataDir, 'temporal.db'),
        logFile: join(config.dataDir, 'temporal.log'),
        namespace: config.temporalNamespace,
      });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }
    // The dev server started here speaks plain gRPC; an external one gets the configured TLS.
    // An external Temporal is reached as the worker reaches it; the dev server started here takes the attributes.
    await ensureSearchAttributes(temporalAddress, config.temporalNamespace, config.temporalAddress ? temporalAccess(config) : {}, config.temporalAddress ? config.searchAttributes : 'create');

    return {
      databaseUrl,
      temporalAddress,
      temporalUiUrl,
      async stop() {
        for (const stop of stops.reverse()) await stop().catch((err) => log(`stop failed: ${String(err)}`));
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw err;
  }
}

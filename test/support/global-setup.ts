// One throwaway Postgres and one Temporal server for the whole run, and one workflow bundle,
// shared by every test file; each file isolates itself with its own database and task queue
// (see stack.ts). Everything is torn down at the end. The Temporal server is the CLI's dev
// server, or with FULCRUM_TEMPORAL_SERVER=cluster (`npm run test:cluster`) Temporal's own
// server with Postgres persistence and SQL visibility, as production runs it.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../scripts/dev/embedded-postgres.ts';
import { clusterPostgres, startTemporalCluster } from '../../scripts/dev/temporal-cluster.ts';
import { freePort, startTemporalDevServer, type RunningDevServer } from '../../scripts/dev/temporal-dev-server.ts';
import { workflowBundleOptions } from '../../workers/worker.ts';
import { keepFailureExitCode } from './keep-exit-code.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  keepFailureExitCode();
  const root = mkdtempSync(join(tmpdir(), 'fulcrum-test-'));
  chmodSync(root, 0o755); // the postgres user must traverse it when the suite runs as root

  const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
  const postgresStarted = startEmbeddedPostgres({ dataDir: join(root, 'postgres'), port: pgPort, persistent: false });
  const temporalStarted: Promise<RunningDevServer> =
    process.env.FULCRUM_TEMPORAL_SERVER === 'cluster'
      ? postgresStarted.then((pg) => startTemporalCluster({ postgres: clusterPostgres(pg.url()), dir: join(root, 'temporal-cluster'), port: temporalPort }))
      : startDevServerOnAFreePort(root, temporalPort);
  const [postgres, temporal, bundle] = await Promise.all([postgresStarted, temporalStarted, bundleWorkflowCode({ ...workflowBundleOptions, logger: silentLogger })]);
  const workflowBundlePath = join(root, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  project.provide('postgresAdminUrl', postgres.url());
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await temporal.stop();
    await postgres.stop();
    rmSync(root, { recursive: true, force: true });
  };
}

/**
 * The dev server on a port nobody holds. The CLI picks its internal services' ports itself, and
 * one of them can take the port chosen for the frontend before the frontend binds it (the
 * server then exits at once: "bind: address already in use"); it is started again on another.
 */
async function startDevServerOnAFreePort(root: string, firstPort: number): Promise<RunningDevServer> {
  for (let attempt = 1; ; attempt++) {
    const port = attempt === 1 ? firstPort : await freePort();
    try {
      return await startTemporalDevServer({ port, headless: true, logFile: join(root, attempt === 1 ? 'temporal.log' : `temporal-${attempt}.log`) });
    } catch (err) {
      if (attempt >= 3 || !/exited/.test(String(err))) throw err;
      console.warn(`the Temporal dev server exited while starting on port ${port}; starting it on another (${String(err)})`);
    }
  }
}

const noop = () => {};
const silentLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

// Builds the Temporal worker that runs Fulcrum's workflows and activities.
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { UnmendableFailureInterceptor } from '../activities/unmendable-failures.ts';
import type { Db } from '../db/knex.ts';

type WebpackConfiguration = Parameters<NonNullable<NonNullable<WorkerOptions['bundlerOptions']>['webpackConfigHook']>>[0];

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

const eagerRequestSchemas = fileURLToPath(new URL('../workflows/request-schemas.ts', import.meta.url));
const lazyRequestSchemas = fileURLToPath(new URL('../workflows/request-schemas.bundle.ts', import.meta.url));

/**
 * The bundle loads the request schemas on first use (workflows/request-schemas.bundle.ts):
 * an absolute-path alias ending in `$` matches exactly that file however it is imported.
 */
function webpackConfigHook(config: WebpackConfiguration): WebpackConfiguration {
  const alias = config.resolve?.alias;
  return { ...config, resolve: { ...config.resolve, alias: { ...(alias && !Array.isArray(alias) ? alias : {}), [`${eagerRequestSchemas}$`]: lazyRequestSchemas } } };
}

/** How every worker, test run and bench bundles the workflows. */
export const workflowBundleOptions = { workflowsPath, webpackConfigHook };

/** A failure retrying cannot mend fails the activity at once, for the workflow to deal with. */
export const fulcrumInterceptors: WorkerOptions['interceptors'] = {
  activity: [(ctx) => ({ inbound: new UnmendableFailureInterceptor(ctx) })],
};

export interface FulcrumWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  /** For activities that look at other workflows (reconciliation). */
  temporal: Client;
  /** A prebuilt bundle (tests build one per run); otherwise the workflows are bundled now. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Encrypts payloads (the same converter the clients use). */
  dataConverter?: WorkerOptions['dataConverter'];
}

export async function createFulcrumWorker(options: FulcrumWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({ db: options.db, temporal: options.temporal, taskQueue: options.taskQueue }),
    interceptors: fulcrumInterceptors,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath, bundlerOptions: { webpackConfigHook } }),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  });
}

// Builds the Temporal worker that runs Fulcrum's workflows and activities.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/worker/index.js';
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { OrderLogAttributesInterceptor } from '../activities/log-attributes.ts';
import { UnmendableFailureInterceptor } from '../activities/unmendable-failures.ts';
import type { Db } from '../db/knex.ts';
import type { BusinessMetrics } from '../services/telemetry/business-metrics.ts';
import type { Tracing } from '../services/telemetry/tracing.ts';

type WebpackConfiguration = Parameters<NonNullable<NonNullable<WorkerOptions['bundlerOptions']>['webpackConfigHook']>>[0];

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

const eagerRequestSchemas = fileURLToPath(new URL('../workflows/request-schemas.ts', import.meta.url));
const lazyRequestSchemas = fileURLToPath(new URL('../workflows/request-schemas.bundle.ts', import.meta.url));
const workflowSpanIds = fileURLToPath(new URL('../workflows/span-ids.ts', import.meta.url));

/** Every build of OpenTelemetry's RandomIdGenerator that the bundler could pick. */
function openTelemetryIdGenerators(): string[] {
  const base = dirname(createRequire(import.meta.url).resolve('@opentelemetry/sdk-trace-base/package.json'));
  return ['src', 'esm', 'esnext'].flatMap((build) => ['node', 'browser'].map((platform) => join(base, 'build', build, 'platform', platform, 'RandomIdGenerator.js')));
}

/**
 * The bundle loads the request schemas on first use (workflows/request-schemas.bundle.ts), and
 * its spans take their ids from workflows/span-ids.ts rather than the run's seeded Math.random:
 * an absolute-path alias ending in `$` matches exactly that file however it is imported.
 */
function webpackConfigHook(config: WebpackConfiguration): WebpackConfiguration {
  const alias = config.resolve?.alias;
  const spanIds = Object.fromEntries(openTelemetryIdGenerators().map((file) => [`${file}$`, workflowSpanIds]));
  return { ...config, resolve: { ...config.resolve, alias: { ...(alias && !Array.isArray(alias) ? alias : {}), [`${eagerRequestSchemas}$`]: lazyRequestSchemas, ...spanIds } } };
}

/**
 * Workflow interceptors in every bundle: OpenTelemetry's, for runs started in a trace (the
 * workflow's spans, and its trace carried on to activities and children; see
 * workflows/tracing-interceptors.ts), and the order id on every workflow log line.
 */
const workflowInterceptorModules = [
  fileURLToPath(new URL('../workflows/tracing-interceptors.ts', import.meta.url)),
  fileURLToPath(new URL('../workflows/log-attributes.ts', import.meta.url)),
];

/** How every worker, test run and bench bundles the workflows. */
export const workflowBundleOptions = { workflowsPath, webpackConfigHook, workflowInterceptorModules };

/**
 * A failure retrying cannot mend fails the activity at once, for the workflow to deal with;
 * each activity runs in a span of its workflow's trace and logs the order it works for.
 */
export const fulcrumInterceptors: WorkerOptions['interceptors'] = {
  activity: [
    (ctx) => ({ inbound: new UnmendableFailureInterceptor(ctx) }),
    (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
    (ctx) => ({ outbound: new OrderLogAttributesInterceptor(ctx) }),
  ],
};

/** Where the bundle's workflow spans go: the process's tracing, or nowhere when it is off. */
export function workflowSpanSinks(tracing?: Pick<Tracing, 'spanProcessor' | 'resource'>): NonNullable<WorkerOptions['sinks']> {
  return { exporter: makeWorkflowExporter(tracing?.spanProcessor ?? new NoopSpanProcessor(), tracing?.resource ?? Resource.empty()) };
}

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
  /** Business counters; none when absent. */
  metrics?: BusinessMetrics;
  /** Where workflow spans go (activity spans use the process's registered tracer). */
  tracing?: Pick<Tracing, 'spanProcessor' | 'resource'>;
  /** Open workflows kept in memory (FULCRUM_MAX_CACHED_WORKFLOWS); the SDK's heap-based default when absent. */
  maxCachedWorkflows?: number;
}

export async function createFulcrumWorker(options: FulcrumWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({ db: options.db, temporal: options.temporal, taskQueue: options.taskQueue, ...(options.metrics ? { metrics: options.metrics } : {}) }),
    sinks: workflowSpanSinks(options.tracing),
    // A prebuilt bundle has its workflow interceptors built in (workflowBundleOptions).
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle, interceptors: fulcrumInterceptors }
      : { workflowsPath, bundlerOptions: { webpackConfigHook }, interceptors: { ...fulcrumInterceptors, workflowModules: workflowInterceptorModules } }),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
  });
}

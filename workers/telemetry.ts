// The worker process's telemetry, set up before any connection: the Temporal Runtime with
// its Prometheus endpoint (the SDK's series and Fulcrum's business series side by side), the
// SDK's and the workflows' and activities' logs as JSON through the process's pino logger
// (with the order id), and the gauges refreshed from Postgres.
import type { LogLevel, LogMetadata, Logger as SdkLogger, MetricMeter } from '@temporalio/common';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { readOperationsSnapshot } from '../db/repositories/operations.ts';
import { onAppendedEvents } from '../db/repositories/outbox.ts';
import { createBusinessMetrics, type BusinessMetrics } from '../services/telemetry/business-metrics.ts';
import { freeLoopbackAddress, startMetricsGuard } from '../services/telemetry/metrics-token.ts';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** The SDK's logger interface over pino: one JSON line per message, its metadata as fields. */
export function sdkLogger(logger: Logger): SdkLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => logger[PINO_LEVEL[level]]({ ...meta }, message);
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/**
 * Installs the Runtime (once per process, before any worker or connection): logs through
 * `logger` (Temporal's core at WARN and above), and with `metricsAddress` the Prometheus
 * endpoint at `http://<metricsAddress>/metrics` (behind `metricsToken` when given). Returns the
 * business metrics on its meter.
 */
export async function installWorkerRuntime(logger: Logger, metricsAddress: string | undefined, metricsToken?: string): Promise<BusinessMetrics> {
  // The runtime's endpoint (which has no auth) is on loopback; a guard serves the address (services/telemetry/metrics-token.ts).
  const runtimeAddress = metricsAddress ? await freeLoopbackAddress() : undefined;
  Runtime.install({
    logger: sdkLogger(logger),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
      ...(runtimeAddress ? { metrics: { prometheus: { bindAddress: runtimeAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } : {}),
    },
  });
  if (metricsAddress && runtimeAddress) await startMetricsGuard(metricsAddress, runtimeAddress, metricsToken, logger);
  const metrics = createBusinessMetrics(Runtime.instance().metricMeter);
  onAppendedEvents((events) => metrics.countEvents(events));
  watchProcessMemory(Runtime.instance().metricMeter);
  return metrics;
}

/**
 * The worker's own memory every 15 s: resident (what the pod's memory limit counts, the
 * workflow cache included) and this thread's V8 heap. docs/deploy.md#worker-memory says what
 * bounds it.
 */
function watchProcessMemory(meter: MetricMeter): void {
  const gauge = meter.createGauge('fulcrum_worker_memory_bytes', 'int', 'By', 'The worker process’s memory: kind=resident (RSS) or heap_used (main thread)');
  const observe = () => {
    const usage = process.memoryUsage();
    gauge.set(usage.rss, { kind: 'resident' });
    gauge.set(usage.heapUsed, { kind: 'heap_used' });
  };
  observe();
  setInterval(observe, 15_000).unref();
}

/** Refreshes the gauges from Postgres now and every `seconds`; a failed read is logged and tried again next time. */
export function pollOperationsGauges(db: Db, metrics: BusinessMetrics, options: { seconds: number; timezone: string; logger: Logger }): { stop(): void } {
  const refresh = async () => {
    try {
      metrics.observe(await readOperationsSnapshot(db, options.timezone));
    } catch (err) {
      options.logger.warn({ err }, 'could not refresh the operations gauges');
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), options.seconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

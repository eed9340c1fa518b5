// OpenTelemetry's workflow interceptors, for a run started in a trace since they were added.
// - A run is traced when its start carried a trace context (the API traces, and so do the
//   workflows that start children): a worker whose callers do not trace pays nothing.
// - They change when commands are issued (their spans wrap timers, activities and handlers in
//   extra awaits), so `patched` gives them to new runs only; old runs replay as recorded.
// - patched() cannot run before the workflow starts, so each run decides at its first
//   interceptor call that may issue commands (the start itself); read-only calls (queries,
//   validators, log and metric attributes) before that are not traced.
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Headers } from '@temporalio/common';
import { patched, type WorkflowInterceptors } from '@temporalio/workflow';
import { extractContextFromHeaders } from '@temporalio/interceptors-opentelemetry/lib/instrumentation.js';
import { interceptors as openTelemetryInterceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors.js';

const READ_ONLY = new Set(['validateUpdate', 'handleQuery', 'getLogAttributes', 'getMetricTags', 'dispose']);

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/** Whether a start carried a live trace: Temporal's client sends the header (empty) even when nothing traces. */
function startedInTrace(headers: Headers | undefined): boolean {
  const context = headers ? extractContextFromHeaders(headers) : undefined;
  const span = context ? trace.getSpanContext(context) : undefined;
  return span !== undefined && isSpanContextValid(span);
}

/** The interceptor's methods, each passing straight to `next` unless the run traces. */
function gated<T extends object>(interceptor: T, traced: (method: string, input: unknown) => boolean): T {
  const gate: Record<string, Method> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(interceptor))) {
    const method = (interceptor as Record<string, unknown>)[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    gate[name] = (input, next) => (traced(name, input) ? (method as Method).call(interceptor, input, next) : next(input));
  }
  return gate as T;
}

export const interceptors = (): WorkflowInterceptors => {
  let tracing: boolean | undefined;
  const traced = (method: string, input: unknown): boolean => {
    if (tracing === undefined && !READ_ONLY.has(method)) {
      tracing = method === 'execute' && startedInTrace((input as { headers?: Headers } | undefined)?.headers) && patched('opentelemetry-tracing');
    }
    return tracing === true;
  };
  const otel = openTelemetryInterceptors();
  return {
    inbound: (otel.inbound ?? []).map((i) => gated(i, traced)),
    outbound: (otel.outbound ?? []).map((i) => gated(i, traced)),
    internals: (otel.internals ?? []).map((i) => gated(i, traced)),
  };
};

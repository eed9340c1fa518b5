// OpenTelemetry tracing for the API and the worker: when an OTLP endpoint is configured, spans
// go there in batches over OTLP/HTTP; otherwise nothing is recorded. W3C trace context is the
// propagator, so a channel's `traceparent` header continues its own trace into Fulcrum, and
// Temporal's interceptors carry the context from the HTTP request through the workflow to
// its activities (one trace per order request).
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  enabled: boolean;
  resource: Resource;
  /** Where the worker's workflow spans (which come through a sink) are handed. */
  spanProcessor: SpanProcessor;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

export const TRACER_NAME = 'fulcrum';

export function startTracing(serviceName: string, config: { otlpTracesUrl: string | undefined }): Tracing {
  const resource = new Resource({ 'service.name': serviceName, 'service.namespace': 'fulcrum' });
  if (!config.otlpTracesUrl) {
    return { enabled: false, resource, spanProcessor: new NoopSpanProcessor(), shutdown: async () => {} };
  }
  // OTEL_EXPORTER_OTLP_HEADERS (and the _TRACES_ variant) are read by the exporter itself.
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpTracesUrl }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return {
    enabled: true,
    resource,
    spanProcessor,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
    },
  };
}

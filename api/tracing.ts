// One server span per HTTP request, continuing the caller's trace when it sends `traceparent`.
// Everything the request starts (the Temporal client's calls, and through them the workflow
// and its activities) runs inside it. The span names the route, never the raw path, and
// carries the order id so ops can find an order's trace.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, Next } from 'koa';
import { TRACER_NAME } from '../services/telemetry/tracing.ts';

function orderIdOf(ctx: Context): string | undefined {
  const params = (ctx as { params?: Record<string, string> }).params;
  if (ctx.path.startsWith('/v1/orders/') && params?.id) return params.id;
  const body = ctx.body as { id?: unknown } | undefined;
  if (ctx.path === '/v1/orders' && ctx.method === 'POST' && typeof body?.id === 'string') return body.id;
  return undefined;
}

export async function traceRequest(ctx: Context, next: Next): Promise<void> {
  const parent = propagation.extract(context.active(), ctx.headers);
  const tracer = trace.getTracer(TRACER_NAME);
  const span = tracer.startSpan(`${ctx.method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': ctx.method, 'url.path': ctx.path } }, parent);
  try {
    await context.with(trace.setSpan(parent, span), next);
  } finally {
    const route = (ctx as { _matchedRoute?: string })._matchedRoute;
    if (route) span.updateName(`${ctx.method} ${route}`).setAttribute('http.route', route);
    const orderId = orderIdOf(ctx);
    if (orderId) span.setAttribute('fulcrum.order_id', orderId);
    span.setAttribute('http.response.status_code', ctx.status);
    if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
}

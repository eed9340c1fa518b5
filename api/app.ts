// The Koa application: request ids, logging, metrics, problem responses, and every route.
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import type { ApiDeps } from './deps.ts';
import { mountDocs } from './docs-page.ts';
import { createMetrics } from './metrics.ts';
import { carrierGatewayPaths, mountCarrierGatewayRoutes } from './routes/carrier-gateways.ts';
import { mountPaymentProviderRoutes, paymentProviderPaths } from './routes/payment-providers.ts';
import { messageRoutes } from './routes/messages.ts';
import { channelSyncRoutes } from './routes/channel-sync.ts';
import { bearerMatches } from '../services/telemetry/metrics-token.ts';
import { isDependencyOutage } from '../services/outages.ts';
import { traceRequest } from './tracing.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { consoleStatic } from './console-static.ts';
import { ProblemError } from './problem.ts';
import { WorkflowNotAnswering } from '../services/current-resource.ts';
import { mountRoute, type RouteSpec } from './route.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { mountHealthRoutes } from './routes/health.ts';
import { inventoryRoutes } from './routes/inventory.ts';
import { networkRoutes } from './routes/network.ts';
import { orderRoutes } from './routes/orders.ts';
import { routingRoutes } from './routes/routing.ts';
import { stockChangeRoutes } from './routes/stock-changes.ts';
import { transferRoutes } from './routes/transfers.ts';
import { auditRoutes } from './routes/audit.ts';
import { codecRoutes } from './routes/codec.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import type { Principal } from '../domain/access/roles.ts';
import { fulfillmentRoutes } from './routes/fulfillments.ts';
import { customerAndEventRoutes } from './routes/customers-events.ts';
import { returnRoutes } from './routes/returns.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { consoleRoutes } from './routes/console.ts';
import { pickListRoutes } from './routes/pick-lists.ts';
import { demandRoutes } from './routes/demand.ts';
import { forecastRoutes } from './routes/forecasts.ts';
import { replenishmentRoutes } from './routes/replenishment.ts';
import { performanceRoutes } from './routes/performance.ts';
import { promiseRoutes } from './routes/promises.ts';
import { marketRoutes } from './routes/markets.ts';
import { printable } from '../domain/text.ts';

export const routes: readonly RouteSpec[] = [
  ...networkRoutes,
  ...inventoryRoutes,
  ...stockChangeRoutes,
  ...transferRoutes,
  ...orderRoutes,
  ...routingRoutes,
  ...fulfillmentRoutes,
  ...pickListRoutes,
  ...returnRoutes,
  ...customerAndEventRoutes,
  ...webhookRoutes,
  ...auditRoutes,
  ...analyticsRoutes,
  ...demandRoutes,
  ...forecastRoutes,
  ...replenishmentRoutes,
  ...performanceRoutes,
  ...promiseRoutes,
  ...marketRoutes,
  ...codecRoutes,
  ...apiKeyRoutes,
  ...consoleRoutes,
  ...messageRoutes,
  ...channelSyncRoutes,
];

const servicePaths = {
  '/health': { get: { summary: 'Liveness', tags: ['Service'], responses: { 200: { description: '{ "status": "ok" }' } } } },
  '/ready': {
    get: {
      summary: 'Readiness: Postgres and Temporal reachable',
      tags: ['Service'],
      responses: { 200: { description: 'Ready' }, 503: { description: 'A dependency is unreachable' } },
    },
  },
  '/openapi.json': { get: { summary: 'This document', tags: ['Service'], responses: { 200: { description: 'OpenAPI 3.1' } } } },
  '/docs': { get: { summary: 'Rendered API reference', tags: ['Service'], responses: { 200: { description: 'HTML' } } } },
  '/metrics': { get: { summary: 'Prometheus metrics', tags: ['Service'], responses: { 200: { description: 'text/plain' } } } },
};

function createdId(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

function printableOrNull(value: string | undefined): string | null {
  return value === undefined ? null : printable(value);
}

/** Every mutating call, allowed or not, goes to the append-only audit log. */
async function recordAudit(deps: ApiDeps, ctx: Koa.Context, requestId: string): Promise<void> {
  const audit = ctx.state.audit as { action: string; target?: string } | undefined;
  if (!audit || ctx.method === 'GET') return;
  const principal = ctx.state.principal as Principal | undefined;
  try {
    await deps.audit.append({
      keyId: principal?.keyId ?? null,
      keyName: principal?.name ?? null,
      role: principal?.role ?? null,
      action: audit.action,
      method: ctx.method,
      path: ctx.path,
      target: printableOrNull(audit.target ?? createdId(ctx.body)),
      status: ctx.status,
      outcome: ctx.status < 400 ? 'ok' : ctx.status < 500 ? 'refused' : 'error',
      requestId,
    });
  } catch (err) {
    deps.logger.error({ err, requestId }, 'could not write the audit log');
  }
}

/** Security headers on every answer, and the codec endpoint's CORS for the Temporal UI; true when the request is answered (preflight). */
function securityHeaders(ctx: Context, deps: ApiDeps, requestId: string): boolean {
  ctx.set('X-Request-Id', requestId);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('Strict-Transport-Security', 'max-age=31536000');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
  // The console and the API reference set their own policy and caching.
  ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  ctx.set('Cache-Control', 'no-store');
  // The Temporal UI calls the codec endpoint from the browser.
  if (!ctx.path.startsWith('/codec/')) return false;
  const origin = ctx.get('origin');
  if (origin && deps.codecCorsOrigins.includes(origin)) {
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Access-Control-Allow-Credentials', 'true');
    ctx.set('Access-Control-Allow-Headers', 'authorization, content-type, x-namespace');
    ctx.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
    ctx.set('Vary', 'Origin');
  }
  if (ctx.method !== 'OPTIONS') return false;
  ctx.status = 204;
  return true;
}

/** How long a client should wait before retrying during an outage (docs/deploy.md, "When things fail"). */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** Postgres's SQLSTATE for a value past its column's range (an int4 sum). */
const NUMERIC_VALUE_OUT_OF_RANGE = '22003';

/** Any failure as an RFC 9457 problem document; what is not a problem of the request is logged as a 500. */
function answerWithProblem(ctx: Context, deps: ApiDeps, requestId: string, err: unknown): void {
  let problem: ProblemError;
  if (err instanceof ProblemError) {
    problem = err;
  } else if (err instanceof WorkflowNotAnswering) {
    problem = new ProblemError(503, err.message, {}, { 'Retry-After': '1' });
  } else if (isDependencyOutage(err)) {
    // Postgres or Temporal not answering: a moment to retry, not a fault of the request or a bug.
    deps.logger.warn({ err, requestId, method: ctx.method, path: ctx.path }, 'a dependency is not answering');
    problem = new ProblemError(503, 'Fulcrum cannot reach its database or Temporal right now; retry this request (with the same Idempotency-Key) after Retry-After.', {}, { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) });
  } else if ((err as { code?: unknown } | null)?.code === NUMERIC_VALUE_OUT_OF_RANGE) {
    // A sum no route guarded would pass what its column holds: the request's numbers, not the server, are at fault.
    deps.logger.warn({ err, requestId, method: ctx.method, path: ctx.path }, 'a number in the request took a stored value out of range');
    problem = new ProblemError(409, 'The change would take a stored number past the largest it can hold; nothing was changed.');
  } else {
    deps.logger.error({ err, requestId, method: ctx.method, path: ctx.path }, 'request failed');
    problem = new ProblemError(500, 'The server failed to answer this request; it has been logged.');
  }
  ctx.status = problem.problem.status;
  for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
  ctx.body = { ...problem.problem, instance: ctx.path, requestId };
  ctx.type = 'application/problem+json';
}

/** Unmatched paths and methods: 404, or 405 with the methods the path does serve. */
function refuseUnrouted(ctx: Context, allowedMethods: (path: string) => string[]): void {
  if (ctx.status === 404 && ctx.body === undefined) throw new ProblemError(404, `No endpoint ${ctx.method} ${ctx.path}.`);
  if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) {
    // 501 is the router's answer to a method it does not know at all (TRACE): still a 405 here.
    const allowed = allowedMethods(ctx.path);
    if (allowed.length === 0) throw new ProblemError(404, `No endpoint ${ctx.method} ${ctx.path}.`);
    throw new ProblemError(405, `${ctx.method} is not allowed on ${ctx.path}.`, {}, { Allow: allowed.join(', ') });
  }
}

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa();
  // Behind a TLS-terminating proxy, its X-Forwarded-Proto makes the session cookie Secure and
  // X-Forwarded-For names the client; otherwise neither header is believed. Only the address the
  // proxy itself appended (the last one) is taken: the ones before it are whatever the client sent.
  app.proxy = deps.trustProxy;
  app.maxIpsCount = 1;
  const metrics = createMetrics();
  const router = new Router();
  /** The methods the router serves on a path (HEAD with GET). */
  const allowedMethods = (path: string): string[] => [...new Set(router.match(path, 'GET').path.flatMap((layer) => layer.methods))];

  app.use(traceRequest);
  app.use(async (ctx, next) => {
    const requestId = /^[\w.-]{1,100}$/.test(ctx.get('x-request-id')) ? ctx.get('x-request-id') : randomUUID();
    if (securityHeaders(ctx, deps, requestId)) return;
    const started = process.hrtime.bigint();
    let timer: NodeJS.Timeout | undefined;
    try {
      // A request still unanswered after the timeout gets a 503 (the work it started carries on).
      await Promise.race([
        next(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ProblemError(503, 'The request took too long; try again.', {}, { 'Retry-After': '5' })), deps.requestTimeoutMs);
        }),
      ]);
      refuseUnrouted(ctx, allowedMethods);
    } catch (err) {
      answerWithProblem(ctx, deps, requestId, err);
    } finally {
      clearTimeout(timer);
      await recordAudit(deps, ctx, requestId);
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.requests.inc({ method: ctx.method, route, status: String(ctx.status) });
      metrics.duration.observe({ method: ctx.method, route }, seconds);
      deps.logger.info({ requestId, method: ctx.method, route, status: ctx.status, ms: Math.round(seconds * 1000), keyId: ctx.state.principal?.keyId }, 'request');
    }
  });
  app.use(consoleStatic());
  mountServiceRoutes(router, deps, metrics);
  mountCarrierGatewayRoutes(router, deps);
  mountPaymentProviderRoutes(router, deps);
  for (const route of routes) mountRoute(router, route, deps);
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: false }));
  return app;
}

/** The OpenAPI document the API serves at /openapi.json (and the typed client is generated from). */
export function openApiDocument() {
  return buildOpenApiDocument(routes, { paths: { ...servicePaths, ...carrierGatewayPaths, ...paymentProviderPaths } });
}

/** Health, the OpenAPI document and its reference page, and Prometheus metrics. */
function mountServiceRoutes(router: Router, deps: ApiDeps, metrics: ReturnType<typeof createMetrics>): void {
  const openApi = openApiDocument();
  mountHealthRoutes(router, deps);
  router.get('/openapi.json', (ctx) => {
    ctx.body = openApi;
  });
  mountDocs(router);
  router.get('/metrics', async (ctx) => {
    if (deps.metricsToken && !bearerMatches(ctx.get('authorization'), deps.metricsToken)) {
      throw new ProblemError(401, 'Metrics need the deployment\'s FULCRUM_METRICS_TOKEN as a bearer token.', {}, { 'WWW-Authenticate': 'Bearer realm="fulcrum-metrics"' });
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}

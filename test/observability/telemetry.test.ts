// Telemetry of the real processes: the API and a worker started as a deployment runs them,
// with the worker's Prometheus endpoint on and traces exported over OTLP/HTTP to a receiver
// inside this test. One order goes through; the metrics move with it, its spans form one
// trace from the HTTP request through the workflow to its activities, and the worker's logs
// are JSON lines that name the order.
import { createServer, type Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Db } from '../../db/knex.ts';
import { generateApiKey } from '../../db/repositories/api-keys.ts';
import { generatePayloadKey } from '../../services/temporal/payload-codec.ts';
import { payloadCodec } from '../../services/temporal/options.ts';
import { fulfillmentWorkflowId } from '../../workflows/fulfillment/definitions.ts';
import { recordHistories } from '../support/record-history.ts';
import { freePort } from '../../scripts/dev/temporal-dev-server.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, shipOrder } from '../support/fixtures.ts';
import { callWithKey, fulcrumProcesses } from '../support/processes.ts';
import { createTestDatabase } from '../support/stack.ts';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  service: string;
}

const processes = fulcrumProcesses();
const adminKey = generateApiKey();
const payloadKeys = generatePayloadKey('telemetry');
const spans: ExportedSpan[] = [];
const workerLog: string[] = [];
let receiver: Server;
let db: Db;
let api = '';
let workerMetrics = '';

/** An OTLP/HTTP receiver (JSON encoding, as the exporter sends it): keeps every span with its service. */
async function startOtlpReceiver(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: { resource: { attributes: ExportedSpan['attributes'] }; scopeSpans: { spans: Omit<ExportedSpan, 'service'>[] }[] }[] };
        for (const rs of payload.resourceSpans) {
          const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ ...span, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** The sum of a series' samples whose labels include `labels`, from Prometheus' text format. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) sum += Number(match[4]);
  }
  return sum;
}

// The deployment's /metrics want a bearer token (FULCRUM_METRICS_TOKEN), as the Helm chart sets one.
const METRICS_TOKEN = 'telemetry-metrics-token-0123456789';
const scrape = (url: string) => fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) => r.text());

const call = (method: string, path: string, body?: unknown) => callWithKey(api, adminKey, method, path, body);

beforeAll(async () => {
  const created = await createTestDatabase();
  db = created.db;
  const [apiPort, metricsPort, otlpPort] = [await freePort(), await freePort(), await freePort()];
  receiver = await startOtlpReceiver(otlpPort);
  api = `http://127.0.0.1:${apiPort}`;
  workerMetrics = `http://127.0.0.1:${metricsPort}/metrics`;
  const env = {
    DATABASE_URL: created.databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    FULCRUM_TASK_QUEUE: `telemetry-${process.pid}`,
    FULCRUM_PAYLOAD_KEYS: payloadKeys,
    FULCRUM_ADMIN_KEY: adminKey,
    FULCRUM_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    FULCRUM_METRICS_POLL_SECONDS: '0.5',
    FULCRUM_METRICS_TOKEN: METRICS_TOKEN,
  };
  processes.start('api/main.ts', { ...env, PORT: String(apiPort) });
  processes.start('workers/main.ts', { ...env, FULCRUM_WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, LOG_LEVEL: 'debug' }, { output: (line) => workerLog.push(line) });
  await eventually(() => fetch(`${api}/ready`).then((r) => r.status, () => 0), (s) => s === 200, 'API ready', 60_000);
  await eventually(() => scrape(workerMetrics).catch(() => ''), (text) => text.includes('fulcrum_board_orders'), 'worker metrics served', 60_000);
  expect((await call('PUT', '/v1/locations/WH-T', locationBody(41.88, -87.64))).status).toBeLessThan(300);
  expect((await call('PUT', '/v1/skus/TEL-1', { name: 'Telemetry', weightGrams: 300 })).status).toBeLessThan(300);
  expect((await call('PUT', '/v1/inventory/WH-T/TEL-1', { onHand: 5 })).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await processes.stopAll();
  await new Promise((resolve) => receiver?.close(resolve));
  await db?.destroy();
});

describe('the metrics endpoints', () => {
  it('answer only with the metrics token, and the worker’s /health without it', async () => {
    for (const url of [`${api}/metrics`, workerMetrics]) {
      expect((await fetch(url)).status, url).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status, url).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, url).toBe(200);
    }
    const health = await fetch(workerMetrics.replace(/\/metrics$/, '/health'));
    expect(health.status).toBe(200);
    expect(await health.text()).not.toContain('fulcrum_');
  });
});

describe('telemetry of one order', () => {
  let orderId = '';
  let before = { api: '', worker: '' };

  it('moves the SDK and business series on the worker endpoint and the HTTP series on the API', async () => {
    before = { api: await scrape(`${api}/metrics`), worker: await scrape(workerMetrics) };
    const created = await call('POST', '/v1/orders?wait=routed', shipOrder('TEL-ORDER-1', [{ sku: 'TEL-1', quantity: 2 }]));
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('routed');
    orderId = created.body.id;

    const after = await eventually(
      () => scrape(workerMetrics),
      (text) => sample(text, 'fulcrum_orders', { status: 'routed' }) >= 1 && sample(text, 'fulcrum_routing_decisions_total', { outcome: 'routed' }) >= 1,
      'business series moved',
      30_000,
    );
    // The SDK's own series: workflow tasks ran and the order's activities completed.
    expect(sample(after, 'temporal_workflow_task_execution_latency_count')).toBeGreaterThan(sample(before.worker, 'temporal_workflow_task_execution_latency_count'));
    expect(sample(after, 'temporal_request_total')).toBeGreaterThan(sample(before.worker, 'temporal_request_total'));
    // Fulcrum's: a routing decision, the order's events in the outbox, the order counted as routed.
    expect(sample(after, 'fulcrum_routing_decisions_total', { outcome: 'routed' })).toBe(sample(before.worker, 'fulcrum_routing_decisions_total', { outcome: 'routed' }) + 1);
    expect(sample(after, 'fulcrum_business_events_total')).toBeGreaterThan(sample(before.worker, 'fulcrum_business_events_total'));
    expect(sample(before.worker, 'fulcrum_orders', { status: 'routed' })).toBe(0);
    expect(sample(after, 'fulcrum_orders', { status: 'routed' })).toBe(1);

    const apiAfter = await scrape(`${api}/metrics`);
    const route = { method: 'POST', route: '/v1/orders', status: '201' };
    expect(sample(apiAfter, 'fulcrum_http_requests_total', route)).toBe(sample(before.api, 'fulcrum_http_requests_total', route) + 1);
  });

  it('exports the HTTP, workflow and activity spans of the order in one trace', async () => {
    const attribute = (span: ExportedSpan, key: string) => span.attributes.find((a) => a.key === key)?.value.stringValue;
    const http = await eventually(
      async () => spans.find((s) => s.service === 'fulcrum-api' && attribute(s, 'fulcrum.order_id') === orderId),
      (s) => s !== undefined,
      'the HTTP span',
      20_000,
    );
    expect(http!.name).toBe('POST /v1/orders');
    // A workflow's own span ends, and is exported, when the workflow closes: cancel the order.
    expect((await call('POST', `/v1/orders/${orderId}/cancel`, { reason: 'telemetry test' })).status).toBe(200);
    const trace = await eventually(
      async () => spans.filter((s) => s.traceId === http!.traceId),
      (t) => ['RunWorkflow:orderWorkflow', 'RunWorkflow:fulfillmentWorkflow', 'RunActivity:routeOrder'].every((name) => t.some((s) => s.name === name)),
      'the workflow and activity spans in the same trace',
      20_000,
    );
    const workflow = trace.find((s) => s.name === 'RunWorkflow:orderWorkflow')!;
    expect(workflow.service).toBe('fulcrum-worker');
    // The workflow span hangs under the request (through the client's start span), and names the order's workflow.
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    let ancestor = workflow.parentSpanId ? byId.get(workflow.parentSpanId) : undefined;
    while (ancestor && ancestor.spanId !== http!.spanId) ancestor = ancestor.parentSpanId ? byId.get(ancestor.parentSpanId) : undefined;
    expect(ancestor?.spanId).toBe(http!.spanId);
    expect(JSON.stringify(workflow.attributes)).toContain(`order-${orderId}`);

    // The traced path's histories, for the replay check (npm run record-histories).
    const [fulfillment] = await db('fulfillments').where({ order_id: orderId }).select('id');
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      await recordHistories(
        { client: new Client({ connection }), codec: payloadCodec({ payloadKeys, payloadKeyId: undefined })! },
        { 'order-traced-cancelled': `order-${orderId}`, 'fulfillment-traced-cancelled': fulfillmentWorkflowId(fulfillment.id) },
      );
    } finally {
      await connection.close();
    }
  });

  it('logs workflows and activities as JSON lines naming the order', async () => {
    const lines = await eventually(
      async () => workerLog.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
      (parsed) => parsed.some((l) => l.orderId === orderId && l.workflowId === `order-${orderId}`),
      'a workflow log line with the order id',
      20_000,
    );
    expect(workerLog.every((line) => line.trim() === '' || line.startsWith('{'))).toBe(true);
    const ofOrder = lines.filter((l) => l.orderId === orderId);
    // The order's own workflow, its fulfillment (a child: the order is its parent) and their activities.
    expect(ofOrder.some((l) => l.workflowType === 'orderWorkflow' && l.activityType === undefined)).toBe(true);
    expect(ofOrder.some((l) => l.workflowType === 'fulfillmentWorkflow' && l.activityType === undefined)).toBe(true);
    expect(ofOrder.some((l) => l.activityType === 'routeOrder')).toBe(true);
  });
});

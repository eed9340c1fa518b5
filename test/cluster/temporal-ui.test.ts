// The Temporal UI `npm run cluster` starts beside Temporal's own server (which has none built
// in): ops find an order's workflow there by its id and by Fulcrum's search attributes, and
// the UI decodes payloads through Fulcrum's codec. Runs in `npm run test:cluster` only, where
// the UI server has been built (vitest.config.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freePort } from '../../scripts/dev/temporal-dev-server.ts';
import { startTemporalUi } from '../../scripts/dev/temporal-cluster.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ui: { url: string; stop(): Promise<void> };
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-ui-'));

beforeAll(async () => {
  stack = await startTestStack();
  ui = await startTemporalUi({ temporalAddress: inject('temporalAddress'), port: await freePort(), dir, codecEndpoint: `${stack.url}/codec` });
  await seedNetwork(client(stack, await stack.key('ops')), { locations: { 'WH-UI': locationBody(41.88, -87.64) }, skus: ['UI-SKU'], stock: [['WH-UI', 'UI-SKU', 5]] });
});

afterAll(async () => {
  await ui?.stop();
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Temporal UI beside Temporal’s own server', () => {
  it('serves the UI, decodes through Fulcrum’s codec, and finds an order by its id and its search attributes', async () => {
    expect((await fetch(ui.url)).status).toBe(200);
    const settings = (await (await fetch(`${ui.url}/api/v1/settings`)).json()) as { Codec: { Endpoint: string; IncludeCredentials: boolean } };
    expect(settings.Codec).toMatchObject({ Endpoint: `${stack.url}/codec`, IncludeCredentials: true });

    const order = await client(stack, await stack.key('channel', { channel: 'web' })).post('/v1/orders?wait=routed', shipOrder('UI-1', [{ sku: 'UI-SKU', quantity: 1 }]));
    expect(order.body.status).toBe('routed');
    const workflowId = `order-${order.body.id}`;
    const list = async (query: string) => {
      const res = await fetch(`${ui.url}/api/v1/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
      return ((await res.json()) as { executions?: { execution: { workflowId: string } }[] }).executions?.map((e) => e.execution.workflowId) ?? [];
    };
    expect(await eventually(() => list(`WorkflowId = "${workflowId}"`), (ids) => ids.includes(workflowId), 'the order in the UI', 20_000)).toEqual([workflowId]);
    expect(await eventually(() => list(`OrderStatus = "routed" AND FulfillmentLocations = "WH-UI"`), (ids) => ids.includes(workflowId), 'the order by its search attributes', 20_000)).toContain(workflowId);
  });
});

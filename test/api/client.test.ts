// The typed client (clients/typescript) is generated from the API's OpenAPI document: the
// committed types must be what the generator writes today, and the client must work against
// the live API with a key.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFulcrumClient, problemText } from '../../clients/typescript/index.ts';
import { CLIENT_SCHEMA, generatedClientSchema } from '../../scripts/generate-client.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await seedNetwork(client(stack, await stack.key('ops')), { locations: { 'WH-1': locationBody(41.88, -87.64) }, skus: ['CUP'], stock: [['WH-1', 'CUP', 5]] });
});
afterAll(async () => stack?.close());

describe('the typed TypeScript client', () => {
  it('is generated from the current OpenAPI document (run `npm run generate:client` after changing the API)', async () => {
    expect(readFileSync(CLIENT_SCHEMA, 'utf8') === (await generatedClientSchema())).toBe(true);
  });

  it('places an order, follows it, and reads a refusal in words', async () => {
    const fulcrum = createFulcrumClient({ baseUrl: stack.url, apiKey: await stack.key('channel', { channel: 'web' }) });
    const placed = await fulcrum.POST('/v1/orders', { params: { query: { wait: 'routed' } }, body: shipOrder('CLIENT-1', [{ sku: 'CUP', quantity: 1 }]) as never });
    expect(placed.response.status).toBe(201);
    expect(placed.data?.status).toBe('routed');
    const read = await fulcrum.GET('/v1/orders/{id}', { params: { path: { id: placed.data!.id } } });
    expect(read.data?.fulfillments[0]?.locationId).toBe('WH-1');
    const refused = await fulcrum.POST('/v1/orders', { body: { ...shipOrder('CLIENT-2', [{ sku: 'NOPE', quantity: 1 }]) } as never });
    expect(refused.response.status).toBe(422);
    expect(problemText(refused.error)).toMatch(/lines\[0\]\.sku: unknown SKU NOPE/);
  });
});

import { describe, expect, it } from 'vitest';
import { routes } from '../../api/app.ts';
import { buildOpenApiDocument } from '../../api/openapi.ts';

const document = buildOpenApiDocument(routes, { paths: {} }) as {
  openapi: string;
  paths: Record<string, Record<string, any>>;
};

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and describes every route the API serves', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = document.paths[route.path]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.operationId).toBe(route.operationId);
    }
  });

  it('describes request bodies and parameters from the zod schemas that validate them', () => {
    const create = document.paths['/v1/orders']!.post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['channel', 'channelOrderId', 'customer', 'fulfillment', 'lines', 'payment']));
    expect(body.properties.lines.items.properties.quantity).toMatchObject({ type: 'integer', minimum: 1 });
    expect(body.additionalProperties).toBe(false);
    const availability = document.paths['/v1/availability']!.get;
    expect(availability.parameters.map((p: { name: string }) => p.name)).toEqual(['sku', 'locationId', 'channel']);
    expect(availability.parameters[0]).toMatchObject({ in: 'query', required: true, style: 'form', explode: true });
    const location = document.paths['/v1/locations/{id}']!.put;
    expect(location.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });

  it('names the roles and the problem responses of each operation', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        expect(operation.security, `${method} ${path}`).toEqual([{ apiKey: [] }]);
        expect(operation.description, `${method} ${path}`).toMatch(/Roles: .*admin/);
        expect(operation.responses['401'].content['application/problem+json'], `${method} ${path}`).toBeDefined();
      }
    }
  });
});

// The OpenAPI 3.1 document, generated from the same route declarations and zod schemas
// that validate requests, so the two cannot drift apart.
import { z } from 'zod';
import type { RouteSpec } from './route.ts';
import { problemResponses, standardProblemStatuses } from './routes/common.ts';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function isOptional(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const fieldSchema = jsonSchema(field, 'input');
    const repeated = location === 'query' && (fieldSchema.type === 'array' || 'anyOf' in fieldSchema);
    return {
      name,
      in: location,
      required: location === 'path' || !isOptional(field),
      ...(field.description ? { description: field.description } : {}),
      schema: fieldSchema,
      ...(repeated ? { style: 'form', explode: true } : {}),
    };
  });
}

function roleText(route: RouteSpec): string {
  const roles = route.roles.length > 0 ? [...route.roles, 'admin'] : ['admin'];
  if (route.roles.includes('ops')) roles.splice(roles.indexOf('ops') + 1, 0, 'exceptions');
  return `Roles: ${roles.join(', ')}.`;
}

export interface OpenApiExtras {
  /** Endpoints outside the route table (health, docs, metrics), described by hand. */
  paths: Record<string, Record<string, unknown>>;
}

export function buildOpenApiDocument(routes: readonly RouteSpec[], extras: OpenApiExtras): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = { ...extras.paths };
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    const declared = { ...problemResponses(...standardProblemStatuses(route)), ...route.responses };
    for (const [status, spec] of Object.entries(declared).sort(([a], [b]) => Number(a) - Number(b))) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema
          ? { content: { [spec.contentType ?? 'application/json']: { schema: jsonSchema(spec.schema, 'output') } } }
          : spec.contentTypes
            ? { content: Object.fromEntries(spec.contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) }
            : {}),
      };
    }
    const headerParams =
      route.method === 'post'
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'A repeat with the same key and body returns the first response (kept 24 h).',
              schema: { type: 'string', maxLength: 255 },
            },
          ]
        : [];
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        operationId: route.operationId,
        summary: route.summary,
        description: [route.description, roleText(route)].filter(Boolean).join('\n\n'),
        tags: [route.tag],
        'x-roles': route.roles,
        security: [{ apiKey: [] }],
        parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query'), ...headerParams],
        ...(route.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fulcrum API',
      version: '1',
      description: 'Omnichannel order fulfillment: network, inventory, orders. Errors are RFC 9457 problem documents.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <api-key>' } },
    },
    paths,
  };
}

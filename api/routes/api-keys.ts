// API keys (admin only). A key is shown once, in the response that creates it.
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import { generateApiKey, hashApiKey } from '../../db/repositories/api-keys.ts';
import { ApiKey, CarrierName, CreateApiKeyRequest } from '../../domain/access/roles.ts';
import { newId } from '../../services/ids.ts';
import { defineRoute, notFound } from '../route.ts';
import { ProblemError, validationProblem } from '../problem.ts';
import { problemResponses } from './common.ts';

export const apiKeyRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/api-keys',
    operationId: 'createApiKey',
    summary: 'Create an API key (the key is returned only here)',
    tag: 'Access',
    roles: [],
    body: CreateApiKeyRequest,
    description:
      'The key is in this response only. A replay of this request (same Idempotency-Key) answers the key\'s metadata without `key`, with `secretsOmitted: ["key"]`: the key itself is never stored.',
    responses: {
      201: { description: 'Created', schema: ApiKey.extend({ key: z.string().optional(), secretsOmitted: z.array(z.string()).optional() }) },
      ...problemResponses(401, 403, 422),
    },
    async handler({ body, deps }) {
      const key = generateApiKey();
      const created = await deps.apiKeys.create(key, {
        id: newId('key'),
        name: body.name,
        role: body.role,
        ...(body.channel ? { channel: body.channel } : {}),
        ...(body.locationIds ? { locationIds: [...new Set(body.locationIds)] } : {}),
        ...(body.carrier ? { carrier: body.carrier } : {}),
        ...(body.rateLimitPerMinute ? { rateLimitPerMinute: body.rateLimitPerMinute } : {}),
      });
      deps.knownKeys.add(hashApiKey(key));
      return { status: 201, body: { ...created, key } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/api-keys',
    operationId: 'listApiKeys',
    summary: 'List API keys (never the keys themselves)',
    tag: 'Access',
    roles: [],
    responses: { 200: { description: 'Keys', schema: z.object({ items: z.array(ApiKey) }) }, ...problemResponses(401, 403) },
    async handler({ deps }) {
      return { status: 200, body: { items: await deps.apiKeys.list() } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/api-keys/{id}',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key at once',
    tag: 'Access',
    roles: [],
    params: z.object({ id: text(100) }),
    responses: { 200: { description: 'The revoked key', schema: ApiKey }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps }) {
      const revoked = await deps.apiKeys.revoke(params.id);
      if (!revoked) throw notFound('API key', params.id);
      return { status: 200, body: revoked };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/api-keys/{id}/carrier',
    operationId: 'bindCarrierKey',
    summary: 'Bind a carrier key made before keys named their carrier to its carrier',
    description: 'Such a key (listed with `needsCarrier: true`) posts no tracking events until it is bound. Binding is once: a key bound to another carrier is 409.',
    tag: 'Access',
    roles: [],
    params: z.object({ id: text(100) }),
    body: z.object({ carrier: CarrierName }).strict(),
    responses: { 200: { description: 'The key, bound', schema: ApiKey }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ params, body, deps }) {
      const bound = await deps.apiKeys.bindCarrier(params.id, body.carrier);
      if (bound.ok) return { status: 200, body: bound.key };
      if (bound.reason === 'not_found') throw notFound('API key', params.id);
      if (bound.reason === 'not_carrier') throw validationProblem([{ path: 'carrier', message: `applies only to role "carrier" (this key's role is ${bound.key!.role})` }]);
      throw new ProblemError(409, `This key already speaks for ${bound.key!.carrier}; make a new key for ${body.carrier}.`);
    },
  }),
];

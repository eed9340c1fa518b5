// API keys (admin only). A key is shown once, in the response that creates it.
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import { generateApiKey } from '../../db/repositories/api-keys.ts';
import { ApiKey, CreateApiKeyRequest } from '../../domain/access/roles.ts';
import { newId } from '../../services/ids.ts';
import { defineRoute, notFound } from '../route.ts';
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
    responses: {
      201: { description: 'Created', schema: ApiKey.extend({ key: z.string() }) },
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
        ...(body.rateLimitPerMinute ? { rateLimitPerMinute: body.rateLimitPerMinute } : {}),
      });
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
];

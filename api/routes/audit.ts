// The audit log for admins: every mutating call and exception action, attributed.
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import { defineRoute } from '../route.ts';
import { problemResponses } from './common.ts';

const Entry = z.object({
  id: z.int(),
  at: z.string(),
  keyId: z.string().nullable(),
  keyName: z.string().nullable(),
  role: z.string().nullable(),
  action: z.string().describe('The operation (its OpenAPI operationId)'),
  method: z.string(),
  path: z.string(),
  target: z.string().nullable(),
  status: z.int(),
  outcome: z.enum(['ok', 'refused', 'error']),
  requestId: z.string().nullable(),
});

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/audit',
    operationId: 'listAudit',
    summary: 'The audit log, newest first',
    description: 'Filter by key, action (operationId), target, outcome and time; page with `before` (the last id seen).',
    tag: 'Access',
    roles: ['admin'],
    query: z.object({
      keyId: text(100, { min: 0 }).optional(),
      action: text(100, { min: 0 }).optional(),
      target: text(200, { min: 0 }).optional(),
      outcome: z.enum(['ok', 'refused', 'error']).optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      before: z.coerce.number().int().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    responses: { 200: { description: 'Entries', schema: z.object({ items: z.array(Entry) }) }, ...problemResponses(401, 403, 422) },
    async handler({ query, deps }) {
      return { status: 200, body: { items: await deps.audit.list(query) } };
    },
  }),
];

// Channel sync (issue 31): a shop integration (the Medusa plugin, docs/integrations/medusa.md)
// reports every minute what it has not yet handed to Fulcrum; ops see the channels that are
// behind here, on the board ("Channel sync") and as `alert.channel_sync_behind`.
import { z } from 'zod';
import { actsFor } from '../access.ts';
import { ChannelName } from '../../domain/identifiers.ts';
import { text } from '../../domain/text.ts';
import { ProblemError } from '../problem.ts';
import { defineRoute } from '../route.ts';
import { problemResponses } from './common.ts';

const Instant = z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) <= Date.now() + 5 * 60_000, 'must not be more than 5 minutes ahead');

const ReportBody = z
  .object({
    source: text(64).describe('The integration reporting, e.g. "medusa"'),
    pendingOrders: z.int().min(0).max(1_000_000).describe('Orders placed in the shop that have not reached Fulcrum yet'),
    refusedOrders: z.int().min(0).max(1_000_000).describe('Orders Fulcrum refused (they need a person: see the shop\'s log)'),
    oldestPendingAt: Instant.optional().describe('When the oldest pending order was placed'),
    lastError: text(500).optional(),
    inventorySyncedAt: Instant.optional().describe("When the shop's stock last matched Fulcrum's available units"),
  })
  .strict();

const SyncView = ReportBody.extend({
  channel: z.string(),
  oldestPendingAt: z.string().optional(),
  inventorySyncedAt: z.string().optional(),
  reportedAt: z.string(),
  behind: z.boolean(),
  reasons: z.array(z.string()).describe('Why the channel is behind: orders waiting over 10 minutes, refused orders, or no report for 10 minutes'),
});

export const channelSyncRoutes = [
  defineRoute({
    method: 'put',
    path: '/v1/channel-sync/{channel}',
    operationId: 'reportChannelSync',
    summary: "A shop integration's report on its side of the link (a channel key reports for its own channel)",
    tag: 'Channels',
    roles: ['channel', 'ops'],
    params: z.object({ channel: ChannelName }),
    body: ReportBody,
    responses: { 200: { description: 'The channel as the board sees it now', schema: SyncView }, ...problemResponses(400, 401, 403, 422) },
    async handler({ params, body, deps, principal }) {
      if (!actsFor(principal, params.channel)) {
        throw new ProblemError(403, `This key reports for channel ${principal.channel}, not ${params.channel}.`);
      }
      return { status: 200, body: await deps.channelSync.report(params.channel, body) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/channel-sync',
    operationId: 'listChannelSync',
    summary: 'Every reporting channel, its last report and whether it is behind',
    tag: 'Channels',
    roles: ['ops'],
    responses: { 200: { description: 'Channels', schema: z.object({ items: z.array(SyncView) }) }, ...problemResponses(401, 403) },
    async handler({ deps }) {
      return { status: 200, body: { items: await deps.channelSync.list() }, headers: { 'Cache-Control': 'no-store' } };
    },
  }),
];

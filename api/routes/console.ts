// What the console (/app) needs beyond the business endpoints: sessions — an API key exchanged
// for an httpOnly, SameSite=Strict cookie with a CSRF token for changes — and the ops board.
import { z } from 'zod';
import type { ChannelSyncView, Lateness } from '../../db/repositories/channel-sync.ts';
import { BOARD_TILES, BoardThresholds, BoardTile, BoardTileId, tileLevel } from '../../domain/console/board.ts';
import type { Principal, Role } from '../../domain/access/roles.ts';
import { SESSION_COOKIE } from '../auth.ts';
import { hashApiKey } from '../../db/repositories/api-keys.ts';
import { ProblemError } from '../problem.ts';
import { defineRoute } from '../route.ts';
import type { Context } from 'koa';
import type { ApiDeps } from '../deps.ts';
import { problemResponses } from './common.ts';
import { locationsServingNoChannel } from '../../db/repositories/idle-locations.ts';

const EVERY_ROLE: Role[] = ['channel', 'associate', 'ops', 'exceptions', 'carrier'];

const SessionView = z.object({
  role: z.string(),
  name: z.string(),
  channel: z.string().optional(),
  locationIds: z.array(z.string()).optional(),
  csrfToken: z.string().describe('Send it as X-CSRF-Token with every change made with this session'),
  expiresAt: z.string(),
  temporalUi: z.object({ url: z.string(), namespace: z.string() }).describe('Where the console links a workflow (order-<id>) for ops'),
});

function sessionView(deps: ApiDeps, principal: Principal, csrfToken: string, expiresAt: string): z.infer<typeof SessionView> {
  return {
    temporalUi: deps.temporalUi,
    role: principal.role,
    name: principal.name,
    ...(principal.channel ? { channel: principal.channel } : {}),
    ...(principal.locationIds ? { locationIds: principal.locationIds } : {}),
    csrfToken,
    expiresAt,
  };
}

function currentSession(ctx: Context): { token: string; csrfToken: string; expiresAt: string } {
  const session = ctx.state.session as { token: string; csrfToken: string; expiresAt: string } | undefined;
  if (!session) throw new ProblemError(404, 'This request came without a session cookie (sign in with POST /v1/sessions).');
  return session;
}

const TileBase = z.object({ label: z.string(), description: z.string(), count: z.int(), level: z.enum(['ok', 'warning', 'critical']) });
const NetworkTile = z.union([
  TileBase.extend({ id: z.literal('locations_serving_no_channel'), locationIds: z.array(z.string()).describe('The locations (at most 50)') }),
  TileBase.extend({
    id: z.literal('channel_sync'),
    channels: z.array(z.object({ channel: z.string(), source: z.string(), reasons: z.array(z.string()) })).describe('The channels behind, with why (GET /v1/channel-sync has every report)'),
  }),
]);
const Board = z.object({
  generatedAt: z.string(),
  tiles: z.array(BoardTile),
  networkTiles: z
    .array(NetworkTile)
    .describe('Tiles about the network rather than orders: active locations that no channel can order from (markets without channels, or outside every market while every channel is in one), and shop integrations behind on their side of the link (channel_sync)'),
});

function channelSyncTile(behind: (Lateness & { view: ChannelSyncView })[]) {
  return {
    id: 'channel_sync' as const,
    label: 'Channel sync',
    description: 'Shop integrations behind on their side: orders not yet in Fulcrum, orders Fulcrum refused, or no report for 10 minutes',
    count: behind.length,
    level: behind.some((b) => b.refused || b.silent) ? ('critical' as const) : behind.length > 0 ? ('warning' as const) : ('ok' as const),
    channels: behind.map(({ view: r }) => ({ channel: r.channel, source: r.source, reasons: r.reasons })),
  };
}

export const consoleRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/sessions',
    operationId: 'createSession',
    summary: 'Sign in to the console: exchange the API key sent as Bearer for a session cookie',
    description:
      'Sets `fulcrum_session` (httpOnly, SameSite=Strict, Secure over HTTPS) for FULCRUM_SESSION_HOURS. Requests with the cookie act as the key; a change (POST, PUT, DELETE) must also send the returned csrfToken as `X-CSRF-Token`. The session ends at its expiry, on sign-out, or when the key is revoked.',
    tag: 'Console',
    roles: EVERY_ROLE,
    body: z.object({}).strict(),
    responses: {
      201: {
        description: 'Signed in. A replay of this request (same Idempotency-Key) sets no cookie and answers without csrfToken, with secretsOmitted: ["csrfToken"] (secrets are never stored): sign in again instead.',
        schema: SessionView.extend({ csrfToken: SessionView.shape.csrfToken.optional(), secretsOmitted: z.array(z.string()).optional() }),
      },
      ...problemResponses(400, 401, 422, 429),
    },
    async handler({ principal, deps, ctx }) {
      const session = await deps.sessions.create(principal, deps.sessionTtlSeconds);
      deps.knownSessions.add(hashApiKey(session.token));
      ctx.cookies.set(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: '/', maxAge: deps.sessionTtlSeconds * 1000, overwrite: true });
      return { status: 201, body: sessionView(deps, principal, session.csrfToken, session.expiresAt), headers: { 'Cache-Control': 'no-store' } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sessions/current',
    operationId: 'getSession',
    summary: 'The signed-in session: who it is, its CSRF token and expiry (404 without a session cookie)',
    tag: 'Console',
    roles: EVERY_ROLE,
    responses: { 200: { description: 'The session', schema: SessionView }, ...problemResponses(401, 404) },
    async handler({ principal, deps, ctx }) {
      const session = currentSession(ctx);
      return { status: 200, body: sessionView(deps, principal, session.csrfToken, session.expiresAt), headers: { 'Cache-Control': 'no-store' } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/sessions/current',
    operationId: 'deleteSession',
    summary: 'Sign out: the session ends and its cookie is cleared',
    tag: 'Console',
    roles: EVERY_ROLE,
    responses: { 204: { description: 'Signed out' }, ...problemResponses(401, 403, 404) },
    async handler({ deps, ctx }) {
      await deps.sessions.revoke(currentSession(ctx).token);
      ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: '/', maxAge: 0, overwrite: true });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/board',
    operationId: 'getBoard',
    summary: 'The ops board: per tile, the number of orders behind it and its level against the thresholds',
    description: 'Each tile counts the orders `GET /v1/orders?tile=<id>` lists.',
    tag: 'Console',
    roles: ['ops'],
    responses: { 200: { description: 'The board', schema: Board }, ...problemResponses(401, 403) },
    async handler({ deps }) {
      const ids = BoardTileId.options;
      const [counts, thresholds] = await Promise.all([deps.board.counts(ids, deps.businessTimezone), deps.board.thresholds()]);
      const tiles = ids.map((id) => {
        const { label, description, warning, critical } = BOARD_TILES[id];
        const threshold = thresholds[id] ?? { warning, critical };
        return { id, label, description, count: counts[id], level: tileLevel(counts[id], threshold), ...threshold };
      });
      const idle = await locationsServingNoChannel(deps.db);
      const networkTiles = [
        {
          id: 'locations_serving_no_channel' as const,
          label: 'Locations serving no channel',
          description: 'Active locations no channel can order from: in a market without channels, or in no market while every channel is in one',
          count: idle.length,
          level: idle.length > 0 ? ('warning' as const) : ('ok' as const),
          locationIds: idle.slice(0, 50),
        },
        channelSyncTile(await deps.channelSync.behind()),
      ];
      return { status: 200, body: { generatedAt: new Date().toISOString(), tiles, networkTiles }, headers: { 'Cache-Control': 'no-store' } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/board/thresholds',
    operationId: 'setBoardThresholds',
    summary: 'Set when board tiles turn orange (warning) and red (critical); tiles not named keep theirs',
    tag: 'Console',
    roles: [],
    body: BoardThresholds,
    responses: { 200: { description: 'The thresholds now set', schema: BoardThresholds }, ...problemResponses(401, 403, 422) },
    async handler({ body, principal, deps }) {
      return { status: 200, body: await deps.board.setThresholds(body, `${principal.role}:${principal.name}`) };
    },
  }),
];

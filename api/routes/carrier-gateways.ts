// Karrio's webhooks (POST /v1/carrier-gateways/karrio/events): tracker and shipment events for
// labels Fulcrum bought through Karrio become the same tracking events a carrier posts itself.
// Karrio authenticates a webhook by sending the webhook's secret in `X-Event-Id`; Fulcrum
// compares it with FULCRUM_KARRIO_WEBHOOK_SECRET in constant time. Repeats (Karrio retries,
// and sends the whole tracker on every change) are answered and change nothing. A tracking
// number Fulcrum did not buy is acknowledged and ignored: Karrio disables a webhook that keeps
// failing, and the same Karrio account may ship for other systems too.
import { createHash, timingSafeEqual } from 'node:crypto';
import type Router from '@koa/router';
import { z } from 'zod';
import type { TrackingEventRequest, TrackingStatus } from '../../domain/fulfillments/schemas.ts';
import { readJsonBody } from '../body.ts';
import type { ApiDeps } from '../deps.ts';
import { ProblemError, validationProblem } from '../problem.ts';
import { zodFieldErrors } from '../../domain/errors.ts';
import { deliverTrackingEvent } from '../tracking-events.ts';

export const KARRIO_EVENTS_PATH = '/v1/carrier-gateways/karrio/events';

/** Karrio's tracker and shipment statuses, as Fulcrum's tracking statuses (absent: nothing to tell). */
const STATUSES: Record<string, TrackingStatus | undefined> = {
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  on_hold: 'exception',
  delivery_delayed: 'exception',
  delivery_failed: 'exception',
  needs_attention: 'exception',
  return_to_sender: 'exception',
  unknown: undefined,
  pending: undefined,
  created: undefined,
  purchased: undefined,
  shipped: 'in_transit',
  cancelled: undefined,
};

const short = (max: number) => z.string().max(max);
const KarrioEvent = z.object({
  event: short(64),
  data: z
    .object({
      tracking_number: short(64).nullish(),
      status: short(64).nullish(),
      events: z
        .array(z.object({ date: short(32).nullish(), time: short(32).nullish(), description: short(500).nullish(), location: short(200).nullish() }).loose())
        .max(500)
        .nullish(),
    })
    .loose(),
});

/** When the carrier says it happened: Karrio's newest event (date and time, taken as UTC), else now. */
function carrierTime(events: { date?: string | null; time?: string | null }[] | null | undefined): string {
  const newest = events?.[0];
  if (newest?.date && /^\d{4}-\d{2}-\d{2}$/.test(newest.date)) {
    const time = newest.time && /^\d{2}:\d{2}(:\d{2})?$/.test(newest.time) ? (newest.time.length === 5 ? `${newest.time}:00` : newest.time) : '00:00:00';
    const at = new Date(`${newest.date}T${time}Z`);
    if (!Number.isNaN(at.getTime()) && Math.abs(at.getTime() - Date.now()) < 366 * 86_400_000) return at.toISOString();
  }
  return new Date().toISOString();
}

function secretMatches(given: string, secret: string): boolean {
  // Digests first, so the comparison takes as long whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(secret).digest());
}

export function mountCarrierGatewayRoutes(router: Router, deps: ApiDeps): void {
  router.post(KARRIO_EVENTS_PATH, async (ctx) => {
    const secret = deps.karrioWebhookSecret;
    if (!secret) throw new ProblemError(401, 'This deployment takes no Karrio webhooks: set FULCRUM_KARRIO_WEBHOOK_SECRET to the webhook\'s secret.');
    if (!secretMatches(ctx.get('x-event-id'), secret)) throw new ProblemError(401, 'X-Event-Id is not the secret of the Karrio webhook this deployment trusts.');
    const raw = await readJsonBody(ctx, 256 * 1024);
    const parsed = KarrioEvent.safeParse(raw.value);
    if (!parsed.success) throw validationProblem(zodFieldErrors(parsed.error, undefined));
    const { event, data } = parsed.data;
    const answer = (status: number, body: Record<string, unknown>) => {
      ctx.status = status;
      ctx.body = { event, ...body };
    };
    const status = data.status ? STATUSES[data.status] : undefined;
    if (!data.tracking_number || !status) return answer(202, { ignored: `nothing to tell a fulfillment (status ${data.status ?? 'none'})` });
    const label = await deps.labels.byTrackingNumber(data.tracking_number);
    if (!label || label.gateway !== 'karrio' || !label.fulfillmentId.startsWith('ful_')) return answer(202, { ignored: 'not a fulfillment label Fulcrum bought through Karrio' });
    const newest = data.events?.[0];
    const tracking: TrackingEventRequest = {
      trackingNumber: label.trackingNumber,
      status,
      at: carrierTime(data.events),
      ...(newest?.description ? { detail: newest.description } : {}),
      ...(newest?.location ? { location: newest.location } : {}),
    };
    const { duplicate } = await deliverTrackingEvent(deps, { fulfillmentId: label.fulfillmentId, carrier: label.carrier, source: 'karrio-webhook' }, tracking);
    return answer(202, { fulfillmentId: label.fulfillmentId, trackingNumber: label.trackingNumber, status, ...(duplicate ? { duplicate: true } : {}) });
  });
}

/** The endpoint in the OpenAPI document (it authenticates by Karrio's secret, not an API key). */
export const carrierGatewayPaths = {
  [KARRIO_EVENTS_PATH]: {
    post: {
      operationId: 'postKarrioEvent',
      summary: "Karrio's webhook: tracker and shipment events of labels bought through Karrio",
      description:
        "Authenticated by the webhook's secret in `X-Event-Id` (FULCRUM_KARRIO_WEBHOOK_SECRET), not an API key. Karrio's statuses become tracking events (in_transit, out_for_delivery, delivered; on_hold, delivery_delayed, delivery_failed, return_to_sender as exception). " +
        'Repeats are accepted and change nothing; a tracking number Fulcrum did not buy is acknowledged and ignored.',
      tags: ['Carriers'],
      security: [],
      parameters: [{ name: 'X-Event-Id', in: 'header', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['event', 'data'], properties: { event: { type: 'string' }, data: { type: 'object' } } } } } },
      responses: {
        202: { description: 'Taken (or ignored, saying why)' },
        401: { description: 'Not the webhook secret', content: { 'application/problem+json': { schema: { type: 'object' } } } },
        413: { description: 'Body too large', content: { 'application/problem+json': { schema: { type: 'object' } } } },
        422: { description: 'Not a Karrio event', content: { 'application/problem+json': { schema: { type: 'object' } } } },
        429: { description: 'Too many events for one parcel', content: { 'application/problem+json': { schema: { type: 'object' } } } },
      },
    },
  },
};

// Delivery promises at checkout: options for a cart (ship by service level, pickup at nearby
// stores) with dates, cost and CO₂e, from the same engine that routes the order; optionally
// holding one option's stock for some minutes (services/promises/promises.ts).
import { z } from 'zod';
import { actsFor } from '../access.ts';
import { text } from '../../domain/text.ts';
import type { Principal } from '../../domain/access/roles.ts';
import { PromiseRequest, PromiseResource } from '../../domain/promises/schemas.ts';
import { promiseView, type StoredPromise } from '../../db/repositories/promises.ts';
import type { ApiDeps } from '../deps.ts';
import { ProblemError, validationProblem } from '../problem.ts';
import { defineRoute, notFound } from '../route.ts';
import { problemResponses } from './common.ts';

const Params = z.object({ id: text(64) });

async function visiblePromise(deps: ApiDeps, principal: Principal, id: string): Promise<StoredPromise> {
  const promise = await deps.promises.get(id);
  if (!promise || !actsFor(principal, promise.channel)) throw notFound('Promise', id);
  return promise;
}

export const promiseRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/promises',
    operationId: 'createPromise',
    summary: 'What can be promised for a cart, here, now: ship and pickup options with dates, cost and CO₂e; optionally holding the stock',
    description:
      'Options come from the sourcing engine on live availability, with the routing profile (and rules) the order would get: ship at each service level that can take the whole cart (`estimatedDelivery`), and pickup at the nearest stores within 50 km of `pickupNear` that can have it ready (`readyAt`, from opening hours and pick time). With `hold`, the stock of one option (the first, or `hold.optionId`) is reserved until `expiresAt`, then released by a timer; an order created with `promiseId` takes it over. When others took the last units first, `hold.state` is `unavailable`.',
    tag: 'Promises',
    roles: ['channel', 'ops'],
    body: PromiseRequest,
    responses: { 201: { description: 'The promise', schema: PromiseResource }, ...problemResponses(401, 403, 422) },
    async handler({ body, principal, deps }) {
      if (!actsFor(principal, body.channel)) throw new ProblemError(403, `This key may only ask promises of channel "${principal.channel}".`);
      const outcome = await deps.promises.create(body);
      if ('fieldErrors' in outcome) throw validationProblem(outcome.fieldErrors);
      return { status: 201, body: outcome.promise, headers: { Location: `/v1/promises/${outcome.promise.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/promises/{id}',
    operationId: 'getPromise',
    summary: 'A delivery promise: its options and the state of its hold',
    tag: 'Promises',
    roles: ['channel', 'ops'],
    params: Params,
    responses: { 200: { description: 'The promise', schema: PromiseResource }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      return { status: 200, body: promiseView(await visiblePromise(deps, principal, params.id)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/promises/{id}/release',
    operationId: 'releasePromise',
    summary: 'Let a held promise go (the cart was abandoned): its stock is available again at once',
    tag: 'Promises',
    roles: ['channel', 'ops'],
    params: Params,
    body: z.object({}).strict(),
    responses: { 200: { description: 'The promise, released', schema: PromiseResource }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ params, principal, deps }) {
      const promise = await visiblePromise(deps, principal, params.id);
      if (!(await deps.promises.release(promise.id))) throw new ProblemError(409, `Promise ${promise.id} holds nothing (${promise.holdState ?? 'no hold was asked'}).`);
      return { status: 200, body: promiseView((await deps.promises.get(promise.id))!) };
    },
  }),
];

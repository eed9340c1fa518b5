// What routing has learned of a location: its fulfillments' outcomes, smoothed.
import { z } from 'zod';
import { ExternalId } from '../../domain/identifiers.ts';
import { LocationPerformanceResponse } from '../../domain/sourcing/performance-schema.ts';
import { defineRoute, notFound } from '../route.ts';
import { problemResponses } from './common.ts';

export const performanceRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/locations/{id}/performance',
    operationId: 'getLocationPerformance',
    summary: 'What routing has learned of a location: on time, short picks, rejections, pick SLAs, transit days',
    description:
      "From its fulfillments of the last 90 days, recomputed by each planning run (`nightly-planning`, or `POST /v1/planning/runs`). Every rate is smoothed towards the network's, so a new store is not judged on two orders. A routing profile that weighs `reliability` prefers locations likely to deliver on time and complete, and promises dates on the transit days shown here rather than the carrier table's.",
    tag: 'Routing',
    roles: ['ops'],
    params: z.object({ id: ExternalId }),
    responses: {
      200: { description: 'The location performance', schema: LocationPerformanceResponse },
      ...problemResponses(401, 403, 404),
    },
    async handler({ params, deps }) {
      if (!(await deps.network.getLocation(params.id))) throw notFound('Location', params.id);
      return { status: 200, body: await deps.learning.ofLocation(params.id) };
    },
  }),
];

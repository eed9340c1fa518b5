// A location's learned performance as the API shows it (GET /v1/locations/{id}/performance).
import { z } from 'zod';
import { PRIOR_STRENGTH, TRANSIT_PRIOR_WEIGHT, ZONES } from './learning.ts';

const Rate = z.object({
  trials: z.int().describe('Fulfillments it was counted on'),
  count: z.int(),
  observed: z.number().nullable().describe('count ÷ trials'),
  smoothed: z.number().describe(`The Beta posterior mean: the network's rate counted as ${PRIOR_STRENGTH} fulfillments, plus what this location did`),
});

export const LocationPerformanceResponse = z.object({
  locationId: z.string(),
  windowFrom: z.string().nullable().describe('Fulfillments created since then were counted; null before the first planning run'),
  computedAt: z.string().nullable(),
  fulfillments: z.int(),
  reliability: z.number().describe('The chance a fulfillment here goes well: complete × picked within its SLA × on time, each smoothed. What the routing criterion `reliability` weighs'),
  complete: Rate.describe('Picked in full and accepted (not rejected, not short-picked), counted once picked or refused'),
  onTime: Rate.describe('Delivered, or ready for pickup, by the promised date (late as soon as the day has passed without it)'),
  shortPicks: Rate,
  rejections: Rate,
  missedPickSla: Rate,
  byCarrierZone: z.array(
    z.object({
      carrier: z.string(),
      zone: z.enum(ZONES).describe('Distance from the location: local < 50 km, regional < 300, national < 1,500, far beyond'),
      shipments: z.int(),
      onTime: Rate,
      transitDays: z.object({
        observed: z.number().nullable(),
        table: z.number().nullable().describe("The carrier table's days"),
        smoothed: z.number().nullable().describe(`The observed mean pulled towards the table's, which counts as ${TRANSIT_PRIOR_WEIGHT} shipments: what promised dates use`),
        shipments: z.int(),
      }),
    }),
  ),
  priors: z.object({ complete: z.number(), onTime: z.number(), shortPicks: z.number(), rejections: z.number(), missedPickSla: z.number() }).describe("The network's own rates (pulled towards defaults while it has few outcomes): each location's prior"),
});

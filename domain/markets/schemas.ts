// Markets: a region sold to with its own currency, time zone, carriers and rules. Every
// location and channel belongs to at most one; an order belongs to its channel's. Money never
// mixes currencies, and routing stays within the order's market unless its profile allows
// cross-border. A deployment with no markets works as one market, as before.
import { z } from 'zod';
import { text } from '../text.ts';
import { ChannelName } from '../identifiers.ts';
import { ServiceLevel } from '../orders/schemas.ts';
import { isTimeZone } from '../network/schemas.ts';
import { LABEL_LANGUAGES } from '../shipping/label-words.ts';

const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
const Country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE');

export const MarketId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be lower-case letters, digits, "_" or "-" (at most 32)');

const RateTier = z.object({ maxGrams: z.int().min(1).max(1_000_000), amount: z.int().min(0).max(10_000_000) }).strict();
const Zone = z.object({ maxKm: z.number().positive().max(40_000), transitDays: z.int().min(0).max(60), rates: z.array(RateTier).min(1).max(50) }).strict();

export const MarketCarrierService = z
  .object({
    carrier: text(64),
    service: text(64),
    level: ServiceLevel,
    currency: Currency,
    cutoffHour: z.int().min(0).max(24),
    zones: z.array(Zone).min(1).max(50),
  })
  .strict();

export const MarketInput = z
  .object({
    name: text(200),
    countries: z.array(Country).min(1).max(100).describe('Where the market ships to; an order to another country is cross-border'),
    currency: Currency.describe("Every amount of the market's orders, locations' handling costs and carrier rates is in it"),
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
    channels: z.array(ChannelName).max(100).default([]).describe("The channels selling in this market; a channel belongs to one market"),
    carrierServices: z.array(MarketCarrierService).max(50).optional().describe("The market's carrier services and their transit tables; the built-in ones in its currency when left out"),
    returnPolicy: z.object({ windowDays: z.int().min(0).max(365) }).strict().optional().describe("The market's return window (a channel's own policy still wins)"),
    routingProfileId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/).optional().describe("The profile for the market's orders when no routing rule chooses one"),
    language: z.enum(LABEL_LANGUAGES).optional().describe("The language of the market's labels (FROM, SHIP TO, PACKAGE i OF n); English when left out"),
    dataRegion: text(32).optional().describe("Where its customer data is to live: its orders', fulfillments', returns' and promises' Temporal payloads are sealed with this region's own key (the deployment must have one: FULCRUM_PAYLOAD_REGION_KEYS)"),
  })
  .strict();
export type MarketInput = z.infer<typeof MarketInput>;

export const Market = MarketInput.extend({ id: z.string(), version: z.int(), updatedAt: z.string() });
export type Market = z.infer<typeof Market>;

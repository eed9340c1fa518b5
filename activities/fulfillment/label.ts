// Buys the shipping label when a fulfillment is packed: rate-shops the shared shipping model
// for the cheapest service that keeps the order's promise (a same-day courier only before its
// cut-off at the origin; after it, the fastest next option), and renders the 4×6 PDF.
// One label per fulfillment: a retry returns the label already bought.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { LabelsRepository, ShippingLabel } from '../../db/repositories/labels.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import type { Package } from '../../domain/fulfillments/schemas.ts';
import { distanceKm } from '../../domain/geo.ts';
import type { Address, ServiceLevel } from '../../domain/orders/schemas.ts';
import { DEFAULT_CARRIER_SERVICES, rateShop, type Quote } from '../../domain/shipping/carrier-services.ts';
import { localHour } from '../../domain/shipping/local-time.ts';
import { renderLabelPdf } from './label-pdf.ts';
import type { RoutingRepository } from '../../db/repositories/routing.ts';
import { chooseProfile } from '../../domain/sourcing/profile.ts';

/** Distance assumed when the address has no coordinates: priced as a long-haul parcel. */
const UNKNOWN_DISTANCE_KM = 2500;

export interface BuyLabelInput {
  orderId: string;
  /** With the service level, picks the routing profile that decides about a missed same-day cut-off. */
  channel?: string;
  fulfillmentId: string;
  locationId: string;
  serviceLevel: ServiceLevel;
  shipTo: Address;
  recipient: string;
  packages: Package[];
}

export type BuyLabelResult = ShippingLabel & { downgradedFrom?: ServiceLevel };

/** Carrier-style tracking number: two letters of the carrier and 12 digits derived from the fulfillment. */
export function trackingNumberFor(carrier: string, fulfillmentId: string): string {
  const digest = createHash('sha256').update(fulfillmentId).digest();
  const digits = (digest.readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0');
  return `${carrier.replace(/[^A-Za-z]/g, '').slice(0, 2).toUpperCase()}${digits}`;
}

function chooseService(level: ServiceLevel, km: number, grams: number, originHour: number): { quote: Quote; downgradedFrom?: ServiceLevel } | undefined {
  const services = level === 'same_day' ? DEFAULT_CARRIER_SERVICES.filter((s) => s.level !== 'same_day' || originHour < s.cutoffHour) : DEFAULT_CARRIER_SERVICES;
  const quote = rateShop(services, level, km, grams);
  if (quote) return { quote };
  // A missed same-day cut-off: the fastest service that still goes.
  if (level === 'same_day') {
    const express = rateShop(services, 'express', km, grams);
    if (express) return { quote: express, downgradedFrom: 'same_day' };
  }
  return undefined;
}

export function createBuyShippingLabel(deps: { labels: LabelsRepository; network: NetworkRepository; routing: RoutingRepository }) {
  return async function buyShippingLabel(input: BuyLabelInput): Promise<BuyLabelResult> {
    const existing = await deps.labels.get(input.fulfillmentId);
    if (existing) return existing;
    const origin = await deps.network.getLocation(input.locationId);
    if (!origin) throw ApplicationFailure.nonRetryable(`location ${input.locationId} no longer exists`, 'UnknownLocation');
    const km = input.shipTo.geo ? distanceKm(origin.geo, input.shipTo.geo) : UNKNOWN_DISTANCE_KM;
    const grams = input.packages.reduce((sum, p) => sum + p.weightGrams, 0);
    const chosen = chooseService(input.serviceLevel, km, grams, localHour(new Date(), origin.timezone));
    if (!chosen) {
      throw ApplicationFailure.nonRetryable(
        `no carrier service takes ${(grams / 1000).toFixed(1)} kg over ${Math.round(km)} km at the ${input.serviceLevel} level`,
        'NoCarrierService',
      );
    }
    if (chosen.downgradedFrom && input.channel) {
      const profile = chooseProfile(await deps.routing.listProfiles(), input.channel, input.serviceLevel);
      if (profile.sameDayMissedCutoff === 'reroute') {
        throw ApplicationFailure.nonRetryable(`${origin.id} missed the same-day cut-off; profile ${profile.id} re-routes`, 'SameDayCutoffMissed');
      }
    }
    const { quote } = chosen;
    const trackingNumber = trackingNumberFor(quote.carrier, input.fulfillmentId);
    const pdf = await renderLabelPdf({
      carrier: quote.carrier,
      service: quote.service,
      trackingNumber,
      shipFrom: { name: origin.name, id: origin.id },
      shipTo: { ...input.shipTo, recipient: input.shipTo.name ?? input.recipient },
      orderId: input.orderId,
      fulfillmentId: input.fulfillmentId,
      weightGrams: grams,
      packages: input.packages.length,
    });
    const label = await deps.labels.save(
      {
        fulfillmentId: input.fulfillmentId,
        trackingNumber,
        carrier: quote.carrier,
        service: quote.service,
        rate: { amount: quote.amount, currency: quote.currency },
        packages: input.packages,
      },
      pdf,
    );
    return chosen.downgradedFrom ? { ...label, downgradedFrom: chosen.downgradedFrom } : label;
  };
}

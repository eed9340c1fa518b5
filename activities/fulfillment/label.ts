// Buys shipping labels with the shared shipping model: rate-shops for the cheapest service
// that keeps the promise (a same-day courier only before its cut-off at the origin; after
// it, the fastest next option or, if the routing profile says so, a re-route), and renders
// the 4×6 PDF. One label per shipment id: a retry returns the label already bought. Return
// labels (customer → returns location) use the same model.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { LabelsRepository, ShippingLabel } from '../../db/repositories/labels.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import type { RoutingRepository } from '../../db/repositories/routing.ts';
import type { Package } from '../../domain/fulfillments/schemas.ts';
import { distanceKm } from '../../domain/geo.ts';
import type { Location } from '../../domain/network/schemas.ts';
import type { Address, ServiceLevel } from '../../domain/orders/schemas.ts';
import { rateShop, type CarrierService, type Quote } from '../../domain/shipping/carrier-services.ts';
import { carrierServicesFor } from '../../domain/markets/rules.ts';
import type { MarketsRepository } from '../../db/repositories/markets.ts';
import type { Market } from '../../domain/markets/schemas.ts';
import { localHour } from '../../domain/shipping/local-time.ts';
import { chooseProfile, type RoutingProfile } from '../../domain/sourcing/profile.ts';
import { renderLabelPdf, type LabelContent } from './label-pdf.ts';
import { renderLabelZpl } from './label-zpl.ts';
import type { BusinessMetrics } from '../../services/telemetry/business-metrics.ts';

/** Distance assumed when the address has no coordinates: priced as a long-haul parcel. */
const UNKNOWN_DISTANCE_KM = 2500;

export interface BuyLabelInput {
  orderId: string;
  /** With the service level, picks the profile that decides about a missed same-day cut-off when no routing decision names one. */
  channel?: string;
  fulfillmentId: string;
  locationId: string;
  serviceLevel: ServiceLevel;
  shipTo: Address;
  recipient: string;
  packages: Package[];
}

export type BuyLabelResult = ShippingLabel & { downgradedFrom?: ServiceLevel };

/** Carrier-style tracking number: two letters of the carrier and 12 digits derived from the shipment. */
export function trackingNumberFor(carrier: string, shipmentId: string): string {
  const digest = createHash('sha256').update(shipmentId).digest();
  const digits = (digest.readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0');
  return `${carrier.replace(/[^A-Za-z]/g, '').slice(0, 2).toUpperCase()}${digits}`;
}

function chooseService(all: readonly CarrierService[], level: ServiceLevel, km: number, grams: number, originHour: number): { quote: Quote; downgradedFrom?: ServiceLevel } | undefined {
  const services = level === 'same_day' ? all.filter((s) => s.level !== 'same_day' || originHour < s.cutoffHour) : all;
  const quote = rateShop(services, level, km, grams);
  if (quote) return { quote };
  // A missed same-day cut-off: the fastest service that still goes.
  if (level === 'same_day') {
    const express = rateShop(services, 'express', km, grams);
    if (express) return { quote: express, downgradedFrom: 'same_day' };
  }
  return undefined;
}

function addressLines(a: Omit<Address, 'geo' | 'name'>): string[] {
  return [a.line1, ...(a.line2 ? [a.line2] : []), `${a.city}, ${a.region} ${a.postalCode}`, a.country];
}

/** The sender as carriers want it: the name, then the full address (a location without one: its name and id). */
function shipFromOf(origin: Location): string[] {
  return origin.address ? [origin.address.name ?? origin.name, ...addressLines(origin.address)] : [origin.name, `Location ${origin.id}`];
}

export function createLabelActivities(deps: {
  labels: LabelsRepository;
  network: NetworkRepository;
  routing: RoutingRepository;
  markets?: MarketsRepository;
  metrics: Pick<BusinessMetrics, 'labelsBought'>;
}) {
  /** The market of a location (none without markets). */
  async function marketOf(location: Location): Promise<Market | undefined> {
    return location.marketId && deps.markets ? deps.markets.get(location.marketId) : undefined;
  }

  async function location(id: string): Promise<Location> {
    const found = await deps.network.getLocation(id);
    if (!found) throw ApplicationFailure.nonRetryable(`location ${id} no longer exists`, 'UnknownLocation');
    return found;
  }

  /** The profile that routed the order (a routing rule may have chosen it), else the one its channel and level would get. */
  async function routedBy(orderId: string, channel: string, level: ServiceLevel): Promise<RoutingProfile> {
    const last = (await deps.routing.decisionsOf(orderId)).at(-1);
    const profile = last ? await deps.routing.getProfile(last.profileId) : undefined;
    return profile ?? chooseProfile(await deps.routing.listProfiles(), channel, level);
  }

  function noService(grams: number, km: number, level: ServiceLevel): never {
    throw ApplicationFailure.nonRetryable(`no carrier service takes ${(grams / 1000).toFixed(1)} kg over ${Math.round(km)} km at the ${level} level`, 'NoCarrierService');
  }

  /** Buys the label: the tracking number, and the label drawn once for every printer (PDF and ZPL), one per package. */
  async function save(shipmentId: string, quote: Quote, packages: Package[], content: (trackingNumber: string) => Omit<LabelContent, 'packages' | 'trackingNumber'>): Promise<ShippingLabel> {
    const trackingNumber = trackingNumberFor(quote.carrier, shipmentId);
    const drawn = { ...content(trackingNumber), trackingNumber, packages };
    const label = await deps.labels.save(
      { fulfillmentId: shipmentId, trackingNumber, carrier: quote.carrier, service: quote.service, rate: { amount: quote.amount, currency: quote.currency }, packages },
      { pdf: await renderLabelPdf(drawn), zpl: renderLabelZpl(drawn) },
    );
    deps.metrics.labelsBought.add(1, { carrier: quote.carrier });
    return label;
  }

  return {
    async buyShippingLabel(input: BuyLabelInput): Promise<BuyLabelResult> {
      const existing = await deps.labels.get(input.fulfillmentId);
      if (existing) return existing;
      const origin = await location(input.locationId);
      const km = input.shipTo.geo ? distanceKm(origin.geo, input.shipTo.geo) : UNKNOWN_DISTANCE_KM;
      const grams = input.packages.reduce((sum, p) => sum + p.weightGrams, 0);
      const market = await marketOf(origin);
      const services = carrierServicesFor(market);
      const chosen = chooseService(services, input.serviceLevel, km, grams, localHour(new Date(), origin.timezone)) ?? noService(grams, km, input.serviceLevel);
      if (chosen.downgradedFrom && input.channel) {
        const profile = await routedBy(input.orderId, input.channel, input.serviceLevel);
        if (profile.sameDayMissedCutoff === 'reroute') {
          throw ApplicationFailure.nonRetryable(`${origin.id} missed the same-day cut-off; profile ${profile.id} re-routes`, 'SameDayCutoffMissed');
        }
      }
      const label = await save(input.fulfillmentId, chosen.quote, input.packages, () => ({
        carrier: chosen.quote.carrier,
        service: chosen.quote.service,
        ...(market?.language ? { language: market.language } : {}),
        shipFrom: shipFromOf(origin),
        shipTo: { recipient: input.shipTo.name ?? input.recipient, lines: addressLines(input.shipTo) },
        references: [`Order ${input.orderId}`, `Fulfillment ${input.fulfillmentId}`, `${input.packages.length} package(s), ${(grams / 1000).toFixed(2)} kg in all`],
      }));
      return chosen.downgradedFrom ? { ...label, downgradedFrom: chosen.downgradedFrom } : label;
    },

    /** The fulfillment will not ship: its label is voided so the carrier does not charge it. */
    async voidShippingLabel(input: { fulfillmentId: string }): Promise<void> {
      await deps.labels.void(input.fulfillmentId);
    },

    /** A prepaid ground label from the customer's address to the returns location. */
    async buyReturnLabel(input: { returnId: string; rma: string; orderId: string; locationId: string; from: Address; customerName: string }): Promise<ShippingLabel> {
      const existing = await deps.labels.get(input.returnId);
      if (existing) return existing;
      const destination = await location(input.locationId);
      const km = input.from.geo ? distanceKm(input.from.geo, destination.geo) : UNKNOWN_DISTANCE_KM;
      // Returns are priced as one standard parcel of up to 2 kg; the customer packs it.
      const packages = [{ weightGrams: 2000, lengthCm: 40, widthCm: 30, heightCm: 20 }];
      const market = await marketOf(destination);
      const quote = rateShop(carrierServicesFor(market), 'standard', km, 2000) ?? noService(2000, km, 'standard');
      return save(input.returnId, quote, packages, () => ({
        carrier: quote.carrier,
        service: quote.service,
        ...(market?.language ? { language: market.language } : {}),
        shipFrom: [input.from.name ?? input.customerName, ...addressLines(input.from)],
        shipTo: {
          recipient: `Returns — ${destination.name}`,
          lines: destination.address ? [...addressLines(destination.address), `RMA ${input.rma}`] : [`Location ${destination.id}`, `RMA ${input.rma}`],
        },
        references: [`RMA ${input.rma}`, `Order ${input.orderId}`, `Return ${input.returnId}`],
      }));
    },
  };
}

// Buys shipping labels through the carrier gateway (domain/shipping/gateway.ts): it quotes the
// parcels packed, Fulcrum takes the cheapest service that keeps the promise (a same-day
// courier only before its cut-off at the origin; after it, the fastest next option or, if the
// routing profile says so, a re-route), and the market's gateway buys it (activities/adapters/carriers).
// One label per shipment id: a retry returns the label already bought. Return labels
// (customer → returns location) go the same way.
import { ApplicationFailure } from '@temporalio/activity';
import type { LabelsRepository, ShippingLabel } from '../../db/repositories/labels.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import type { RoutingRepository } from '../../db/repositories/routing.ts';
import type { Package } from '../../domain/fulfillments/schemas.ts';
import type { Location } from '../../domain/network/schemas.ts';
import type { Address, ServiceLevel } from '../../domain/orders/schemas.ts';
import { cheapestQuote, type Quote } from '../../domain/shipping/carrier-services.ts';
import type { CarrierGateway, LabelFormat, LabelText, RateRequest, ShipmentParty } from '../../domain/shipping/gateway.ts';
import { parcelMeasure } from '../adapters/carriers/builtin.ts';
import type { CarrierGateways } from '../adapters/carriers/index.ts';
import type { MarketsRepository } from '../../db/repositories/markets.ts';
import type { Market } from '../../domain/markets/schemas.ts';
import { localHour } from '../../domain/shipping/local-time.ts';
import { chooseProfile, type RoutingProfile } from '../../domain/sourcing/profile.ts';
import type { BusinessMetrics } from '../../services/telemetry/business-metrics.ts';

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
  /** The printer the associate packed for, when the gateway buys one format only. */
  labelFormat?: LabelFormat;
}

export type BuyLabelResult = ShippingLabel & { downgradedFrom?: ServiceLevel };

function chooseService(quotes: readonly Quote[], level: ServiceLevel, originHour: number): { quote: Quote; downgradedFrom?: ServiceLevel } | undefined {
  const going = level === 'same_day' ? quotes.filter((q) => q.level !== 'same_day' || originHour < q.cutoffHour) : quotes;
  const quote = cheapestQuote(going, level);
  if (quote) return { quote };
  // A missed same-day cut-off: the fastest service that still goes.
  if (level === 'same_day') {
    const express = cheapestQuote(going, 'express');
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

/** A location as one end of a shipment. */
function partyOf(location: Location, name?: string): ShipmentParty {
  const { name: addressName, ...address } = location.address ?? {};
  return { name: name ?? addressName ?? location.name, geo: location.geo, ...(location.address ? { address: address as ShipmentParty['address'] } : {}) };
}

/** A customer's address as one end of a shipment. */
function customerParty(address: Address, name: string): ShipmentParty {
  const { name: _name, geo, ...postal } = address;
  return { name: address.name ?? name, address: postal, ...(geo ? { geo } : {}) };
}

export function createLabelActivities(deps: {
  labels: LabelsRepository;
  network: NetworkRepository;
  routing: RoutingRepository;
  markets?: MarketsRepository;
  metrics: Pick<BusinessMetrics, 'labelsBought'>;
  /** Where each market buys its labels (config/carriers.ts). */
  gateways: CarrierGateways;
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

  function noService(request: RateRequest, level: ServiceLevel): never {
    const { grams, km } = parcelMeasure(request);
    throw ApplicationFailure.nonRetryable(`no carrier service takes ${(grams / 1000).toFixed(1)} kg over ${Math.round(km)} km at the ${level} level`, 'NoCarrierService');
  }

  /** Buys the label through the gateway and keeps it as bought, one per shipment id. */
  async function buy(gateway: CarrierGateway, reference: string, request: RateRequest, quote: Quote, text: LabelText, format: LabelFormat = 'pdf'): Promise<ShippingLabel> {
    const bought = await gateway.purchase({ ...request, reference, rate: quote, text, format });
    const label = await deps.labels.save(
      {
        fulfillmentId: reference,
        trackingNumber: bought.trackingNumber,
        carrier: bought.carrier,
        service: bought.service,
        rate: bought.rate,
        packages: request.packages,
        gateway: bought.gateway,
        packageTrackingNumbers: bought.packageTrackingNumbers,
        ...(bought.shipmentId ? { shipmentId: bought.shipmentId } : {}),
      },
      { ...(bought.pdf ? { pdf: bought.pdf } : {}), ...(bought.zpl !== undefined ? { zpl: bought.zpl } : {}) },
    );
    deps.metrics.labelsBought.add(1, { carrier: bought.carrier });
    return label;
  }

  return {
    async buyShippingLabel(input: BuyLabelInput): Promise<BuyLabelResult> {
      const existing = await deps.labels.get(input.fulfillmentId);
      if (existing) return existing;
      const origin = await location(input.locationId);
      const market = await marketOf(origin);
      const request: RateRequest = { from: partyOf(origin), to: customerParty(input.shipTo, input.recipient), packages: input.packages, ...(market ? { market } : {}) };
      const gateway = deps.gateways.forMarket(market?.id);
      const quotes = await gateway.rates(request);
      const chosen = chooseService(quotes, input.serviceLevel, localHour(new Date(), origin.timezone)) ?? noService(request, input.serviceLevel);
      if (chosen.downgradedFrom && input.channel) {
        const profile = await routedBy(input.orderId, input.channel, input.serviceLevel);
        if (profile.sameDayMissedCutoff === 'reroute') {
          throw ApplicationFailure.nonRetryable(`${origin.id} missed the same-day cut-off; profile ${profile.id} re-routes`, 'SameDayCutoffMissed');
        }
      }
      const { grams } = parcelMeasure(request);
      const label = await buy(gateway, input.fulfillmentId, request, chosen.quote, {
        ...(market?.language ? { language: market.language } : {}),
        shipFrom: shipFromOf(origin),
        shipTo: { recipient: input.shipTo.name ?? input.recipient, lines: addressLines(input.shipTo) },
        references: [`Order ${input.orderId}`, `Fulfillment ${input.fulfillmentId}`, `${input.packages.length} package(s), ${(grams / 1000).toFixed(2)} kg in all`],
      }, input.labelFormat);
      return chosen.downgradedFrom ? { ...label, downgradedFrom: chosen.downgradedFrom } : label;
    },

    /** The fulfillment will not ship: its label is voided so the carrier does not charge it. */
    async voidShippingLabel(input: { fulfillmentId: string }): Promise<void> {
      const label = await deps.labels.get(input.fulfillmentId);
      if (!label) return;
      // Through the gateway that bought it, whatever the market uses now.
      await deps.gateways.named(label.gateway ?? 'builtin').void(input.fulfillmentId);
      await deps.labels.void(input.fulfillmentId);
    },

    /** A prepaid ground label from the customer's address to the returns location. */
    async buyReturnLabel(input: { returnId: string; rma: string; orderId: string; locationId: string; from: Address; customerName: string }): Promise<ShippingLabel> {
      const existing = await deps.labels.get(input.returnId);
      if (existing) return existing;
      const destination = await location(input.locationId);
      const market = await marketOf(destination);
      // Returns are priced as one standard parcel of up to 2 kg; the customer packs it.
      const packages = [{ weightGrams: 2000, lengthCm: 40, widthCm: 30, heightCm: 20 }];
      const to = partyOf(destination, `Returns — ${destination.name}`);
      const request: RateRequest = { from: customerParty(input.from, input.customerName), to, packages, ...(market ? { market } : {}) };
      const gateway = deps.gateways.forMarket(market?.id);
      const quote = cheapestQuote(await gateway.rates(request), 'standard') ?? noService(request, 'standard');
      return buy(gateway, input.returnId, request, quote, {
        ...(market?.language ? { language: market.language } : {}),
        shipFrom: [input.from.name ?? input.customerName, ...addressLines(input.from)],
        shipTo: {
          recipient: `Returns — ${destination.name}`,
          lines: destination.address ? [...addressLines(destination.address), `RMA ${input.rma}`] : [`Location ${destination.id}`, `RMA ${input.rma}`],
        },
        references: [`RMA ${input.rma}`, `Order ${input.orderId}`, `Return ${input.returnId}`],
      });
    },
  };
}

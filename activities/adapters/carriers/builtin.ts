// The built-in carrier gateway, for the demo and the tests: rates from the market's rate cards
// (domain/shipping/carrier-services.ts, the same ones routing plans with), a tracking number
// derived from the shipment's reference (so buying again gives the same one), and the label
// drawn here as a 4×6 PDF and as ZPL. No carrier is told anything, so voiding has no one to tell.
import { createHash } from 'node:crypto';
import { distanceKm } from '../../../domain/geo.ts';
import { carrierServicesFor } from '../../../domain/markets/rules.ts';
import { quote } from '../../../domain/shipping/carrier-services.ts';
import type { CarrierGateway, RateRequest } from '../../../domain/shipping/gateway.ts';
import { renderLabelPdf } from '../../fulfillment/label-pdf.ts';
import { renderLabelZpl } from '../../fulfillment/label-zpl.ts';

/** Distance assumed when an end has no coordinates: priced as a long-haul parcel. */
const UNKNOWN_DISTANCE_KM = 2500;

/** Carrier-style tracking number: two letters of the carrier and 12 digits derived from the shipment. */
export function trackingNumberFor(carrier: string, shipmentId: string): string {
  const digest = createHash('sha256').update(shipmentId).digest();
  const digits = (digest.readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0');
  return `${carrier.replace(/[^A-Za-z]/g, '').slice(0, 2).toUpperCase()}${digits}`;
}

/** The distance a shipment is priced at, and its weight. */
export function parcelMeasure(request: RateRequest): { km: number; grams: number } {
  const km = request.from.geo && request.to.geo ? distanceKm(request.from.geo, request.to.geo) : UNKNOWN_DISTANCE_KM;
  return { km, grams: request.packages.reduce((sum, p) => sum + p.weightGrams, 0) };
}

export function createBuiltinGateway(): CarrierGateway {
  return {
    name: 'builtin',
    async rates(request) {
      const { km, grams } = parcelMeasure(request);
      return carrierServicesFor(request.market).flatMap((service) => quote(service, km, grams) ?? []);
    },
    async purchase(request) {
      const trackingNumber = trackingNumberFor(request.rate.carrier, request.reference);
      const drawn = { ...request.text, carrier: request.rate.carrier, service: request.rate.service, trackingNumber, packages: request.packages };
      return {
        gateway: 'builtin',
        carrier: request.rate.carrier,
        service: request.rate.service,
        trackingNumber,
        packageTrackingNumbers: request.packages.map(() => trackingNumber),
        rate: { amount: request.rate.amount, currency: request.rate.currency },
        pdf: await renderLabelPdf(drawn),
        zpl: renderLabelZpl(drawn),
      };
    },
    async void() {},
  };
}

// CO₂e of a fulfillment, counted the way the GLEC Framework (v3, aligned with ISO 14083) counts
// transport: well-to-wheel, per leg, as activity × intensity - tonne-kilometres × grams CO₂e per
// tonne-km for line haul (the great-circle distance × a detour factor), plus the last mile per
// parcel by the vehicle that delivers it. A pickup has no carrier leg; its customer's trip (a
// car to the store and back) is counted when the profile says so, and a pickup by transfer adds
// the transfer's truck leg.
//
// The numbers below are Fulcrum's demo assumptions, chosen within the ranges published default
// intensities give; a deployment should replace them with the intensities its carriers report
// (GLEC's preferred "primary data").

export type TransportMode = 'road' | 'air';
export type LastMileVehicle = 'diesel_van' | 'electric_van' | 'cargo_bike';

export interface ServiceEmissions {
  /** Line haul below `airAboveKm` (or always, without it). */
  lineHaul: { mode: TransportMode; gramsPerTonneKm: number };
  /** Express networks fly the long legs. */
  airAboveKm?: number;
  lastMile: LastMileVehicle;
}

/** Line-haul intensities, g CO₂e per tonne-km, well-to-wheel. */
export const LINE_HAUL = {
  /** A parcel network's trucks (mixed rigid and articulated, typical loads). */
  parcel_road: 110,
  /** A courier's van for the whole trip. */
  courier_van: 600,
  /** Belly and freighter air, short and medium haul. */
  air: 1_100,
  /** A full truck between a DC and a store. */
  transfer_truck: 75,
} as const;

/** Last-mile grams CO₂e per parcel delivered, by vehicle. */
export const LAST_MILE: Record<LastMileVehicle, number> = { diesel_van: 180, electric_van: 60, cargo_bike: 8 };

/** Road distance per great-circle kilometre. */
export const DETOUR_FACTOR = 1.2;
/** A customer's car trip to a store, per kilometre (average petrol car, well-to-wheel). */
export const CUSTOMER_CAR_GRAMS_PER_KM = 190;

/** The demo carriers' services (domain/shipping/carrier-services.ts), by `carrier|service`. */
export const SERVICE_EMISSIONS: Record<string, ServiceEmissions> = {
  'ParcelCo|ground': { lineHaul: { mode: 'road', gramsPerTonneKm: LINE_HAUL.parcel_road }, lastMile: 'diesel_van' },
  'ParcelCo|express': { lineHaul: { mode: 'road', gramsPerTonneKm: LINE_HAUL.parcel_road }, airAboveKm: 500, lastMile: 'diesel_van' },
  'PostalService|priority': { lineHaul: { mode: 'road', gramsPerTonneKm: LINE_HAUL.parcel_road }, lastMile: 'electric_van' },
  'CityCourier|same_day': { lineHaul: { mode: 'road', gramsPerTonneKm: LINE_HAUL.courier_van }, lastMile: 'cargo_bike' },
};

const tonneKm = (weightGrams: number, km: number) => (weightGrams / 1_000_000) * km * DETOUR_FACTOR;

/** A shipment's grams CO₂e: line haul (by air beyond the service's air distance) and the last mile. */
export function shipmentCo2e(carrier: string, service: string, weightGrams: number, distanceKm: number): number {
  const e = SERVICE_EMISSIONS[`${carrier}|${service}`] ?? SERVICE_EMISSIONS['ParcelCo|ground']!;
  const intensity = e.airAboveKm !== undefined && distanceKm > e.airAboveKm ? LINE_HAUL.air : e.lineHaul.gramsPerTonneKm;
  return Math.round(tonneKm(weightGrams, distanceKm) * intensity + LAST_MILE[e.lastMile]);
}

/** A pickup's grams CO₂e: the transfer's truck leg if any, and the customer's round trip when counted. */
export function pickupCo2e(options: { weightGrams: number; transferKm?: number; customerKm?: number; countCustomerTrip: boolean }): number {
  const transfer = options.transferKm ? tonneKm(options.weightGrams, options.transferKm) * LINE_HAUL.transfer_truck : 0;
  const trip = options.countCustomerTrip && options.customerKm !== undefined ? 2 * options.customerKm * DETOUR_FACTOR * CUSTOMER_CAR_GRAMS_PER_KM : 0;
  return Math.round(transfer + trip);
}

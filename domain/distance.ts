// Great-circle distance, the distance measure the sourcing and return rules use (without zod:
// workflow code uses it; domain/geo.ts has the point's schema).
const EARTH_RADIUS_KM = 6371.0088;

// At module level: a closure made per call costs more than the arithmetic.
const toRad = (deg: number) => (deg * Math.PI) / 180;

export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = toRad(b.lat - a.lat);
  const dLon = toRad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

// A point on the map, as requests carry it; distances are in domain/distance.ts.
import { z } from 'zod';

export { distanceKm } from './distance.ts';

export const GeoPoint = z
  .object({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  })
  .strict();
export type GeoPoint = z.infer<typeof GeoPoint>;

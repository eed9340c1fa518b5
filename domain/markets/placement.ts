// Which market a location saved without `marketId` joins, once markets exist: the one whose
// countries hold its address's country, else the country its position lies in. A client that
// never heard of markets keeps working: its stores join the market their channels sell in.
// The position is placed offline by country-coder (borders from OpenStreetMap, as the iD
// editor uses them); at sea or in no country, nothing is inferred.
import { iso1A2Code } from '@rapideditor/country-coder';

export interface MarketCountries {
  id: string;
  countries: readonly string[];
}

export type Placement = { marketId: string; by: 'address' | 'geo'; country: string } | { marketId?: undefined; country: string | undefined };

export function countryAt(geo: { lat: number; lon: number }): string | undefined {
  return iso1A2Code([geo.lon, geo.lat]) ?? undefined;
}

export function placeLocation(location: { address?: { country?: string } | undefined; geo: { lat: number; lon: number } }, markets: readonly MarketCountries[]): Placement {
  const marketOf = (country: string) => markets.find((m) => m.countries.includes(country));
  const byAddress = location.address?.country?.toUpperCase();
  const fromAddress = byAddress ? marketOf(byAddress) : undefined;
  if (fromAddress) return { marketId: fromAddress.id, by: 'address', country: byAddress! };
  const byGeo = countryAt(location.geo);
  const fromGeo = byGeo ? marketOf(byGeo) : undefined;
  if (fromGeo) return { marketId: fromGeo.id, by: 'geo', country: byGeo! };
  return { country: byAddress ?? byGeo };
}

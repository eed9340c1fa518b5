// Rate cards refreshed from a carrier gateway's live rates (issue 30), so that what routing
// plans with (the cards) and what packing buys (the gateway) agree. Each cell of a card — a
// distance zone × a weight tier of one carrier service — takes the median of the gateway's
// rates for lanes (an origin and a destination of the market's network) that fall in that zone,
// for a parcel at the tier's weight. A cell no lane reached keeps its amount.
import type { CarrierService } from './carrier-services.ts';

export interface RateSample {
  carrier: string;
  service: string;
  km: number;
  grams: number;
  /** Minor units, as the gateway quoted. */
  amount: number;
}

export interface CellChange {
  carrier: string;
  service: string;
  maxKm: number;
  maxGrams: number;
  from: number;
  to: number;
  lanes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The zone a distance falls in (the first whose bound it is within). */
function zoneIndex(card: CarrierService, km: number): number {
  return card.zones.findIndex((z) => km <= z.maxKm);
}

export function refreshRateCards(cards: readonly CarrierService[], samples: readonly RateSample[]): { cards: CarrierService[]; changes: CellChange[] } {
  const changes: CellChange[] = [];
  const refreshed = cards.map((card) => ({
    ...card,
    zones: card.zones.map((zone, z) => ({
      ...zone,
      rates: zone.rates.map((tier) => {
        const amounts = samples
          .filter((s) => s.carrier === card.carrier && s.service === card.service && s.grams === tier.maxGrams && zoneIndex(card, s.km) === z)
          .map((s) => s.amount);
        if (amounts.length === 0) return tier;
        const amount = median(amounts);
        if (amount !== tier.amount) changes.push({ carrier: card.carrier, service: card.service, maxKm: zone.maxKm, maxGrams: tier.maxGrams, from: tier.amount, to: amount, lanes: amounts.length });
        return { ...tier, amount };
      }),
    })),
  }));
  return { cards: refreshed, changes };
}

/** The distance bands lanes are sampled in: every zone bound of every card. */
export function distanceBands(cards: readonly CarrierService[]): number[] {
  return [...new Set(cards.flatMap((c) => c.zones.map((z) => z.maxKm)))].sort((a, b) => a - b);
}

/** The weights parcels are rated at: every tier's upper bound. */
export function tierWeights(cards: readonly CarrierService[]): number[] {
  return [...new Set(cards.flatMap((c) => c.zones.flatMap((z) => z.rates.map((r) => r.maxGrams))))].sort((a, b) => a - b);
}

// Rate cards refreshed from the carrier gateway (domain/shipping/rate-card-refresh.ts): lanes
// between the market's locations with a postal address (each origin to the others, and to the
// addresses of recent orders), up to two per distance band of the cards, each rated at every
// tier's weight through the market's gateway. The refreshed cards are saved as a new version of
// the market, so routing prices plans as the gateway will charge.
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../../db/knex.ts';
import type { MarketsRepository } from '../../db/repositories/markets.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import { distanceKm } from '../../domain/geo.ts';
import { carrierServicesFor } from '../../domain/markets/rules.ts';
import type { Address } from '../../domain/orders/schemas.ts';
import { distanceBands, refreshRateCards, tierWeights, type RateSample } from '../../domain/shipping/rate-card-refresh.ts';
import type { ShipmentParty } from '../../domain/shipping/gateway.ts';
import type { CarrierGateways } from '../adapters/carriers/index.ts';
import type { RateCardRefreshResult } from '../../workflows/shipping/definitions.ts';

/** The parcel each lane is rated with, at each tier's weight. */
const DIMENSIONS = { lengthCm: 30, widthCm: 20, heightCm: 10 };

interface End {
  party: ShipmentParty;
  geo: { lat: number; lon: number };
}

function locationEnd(location: { name: string; geo: { lat: number; lon: number }; address?: Omit<Address, 'geo'> }): End | undefined {
  if (!location.address) return undefined;
  const { name: _name, ...address } = location.address;
  return { party: { name: location.name, address, geo: location.geo }, geo: location.geo };
}

export function createRateCardActivities(deps: { db: Db; markets: MarketsRepository; network: NetworkRepository; gateways: CarrierGateways }) {
  /** Addresses of the market's recent ship orders, as destinations. */
  async function recentDestinations(channels: string[]): Promise<End[]> {
    if (channels.length === 0) return [];
    const rows = (await deps.db('orders').whereIn('channel', channels).whereRaw("snapshot->'shipTo'->'geo' IS NOT NULL").orderBy('created_at', 'desc').limit(20).select(deps.db.raw("snapshot->'shipTo' AS ship_to"))) as { ship_to: Address }[];
    return rows.map(({ ship_to: { name, geo, ...address } }) => ({ party: { name: name ?? 'Customer', address, geo: geo! }, geo: geo! }));
  }

  return {
    async marketsOnGateways(): Promise<string[]> {
      return (await deps.markets.list()).filter((m) => deps.gateways.nameFor(m.id) !== 'builtin').map((m) => m.id);
    },

    async refreshMarketRateCards(input: { marketId: string }): Promise<RateCardRefreshResult['markets'][number]> {
      const market = await deps.markets.get(input.marketId);
      if (!market) throw ApplicationFailure.nonRetryable(`no market ${input.marketId}`, 'UnknownMarket');
      const gatewayName = deps.gateways.nameFor(market.id);
      if (gatewayName === 'builtin') throw ApplicationFailure.nonRetryable(`market ${market.id} buys labels through the built-in gateway, whose rates are its cards`, 'BuiltinGateway');
      const gateway = deps.gateways.forMarket(market.id);
      const cards = carrierServicesFor(market);
      const origins = (await deps.network.listLocations()).filter((l) => l.marketId === market.id && l.active).flatMap((l) => locationEnd(l) ?? []);
      const ends = [...origins, ...(await recentDestinations(market.channels ?? []))];
      const bands = distanceBands(cards);
      const pairs = origins.flatMap((from) => ends.filter((to) => to !== from).map((to) => ({ from, to, km: distanceKm(from.geo, to.geo) })));
      const lanes = bands.flatMap((bound, i) => pairs.filter((l) => l.km > (i === 0 ? 0 : bands[i - 1]!) && l.km <= bound).slice(0, 2));
      const weights = tierWeights(cards);
      const samples: RateSample[] = [];
      for (const lane of lanes) {
        for (const grams of weights) {
          const quotes = await gateway.rates({ from: lane.from.party, to: lane.to.party, packages: [{ weightGrams: grams, ...DIMENSIONS }], market });
          samples.push(...quotes.map((q) => ({ carrier: q.carrier, service: q.service, km: lane.km, grams, amount: q.amount })));
        }
      }
      const { cards: refreshed, changes } = refreshRateCards(cards, samples);
      const { id: _id, version, updatedAt: _u, ...body } = market;
      const saved = changes.length > 0 ? await deps.markets.put(market.id, { ...body, carrierServices: refreshed }) : { version };
      return { marketId: market.id, version: saved.version, lanes: lanes.length, changes };
    },
  };
}

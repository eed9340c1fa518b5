// Routing's learning step: every fulfillment of the last 90 days turned into its outcome and
// summed per location (domain/sourcing/learning.ts), stored for routing and for
// GET /v1/locations/{id}/performance; and what routing reads back, kept a few minutes.
import type { Db } from '../../db/knex.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createPerformanceRepository, type StoredPerformance } from '../../db/repositories/performance.ts';
import { learnedOf, networkPriors, reliabilityOf, outcomeOf, summarizeLocation, summarizeNetwork, type FulfillmentOutcome, type LearnedLocation, type LocationPerformance, type NetworkPriors } from '../../domain/sourcing/learning.ts';

export const LEARNING_WINDOW_DAYS = 90;
const PAGE = 2_000;
const CACHE_MS = 5 * 60_000;

export function createLearningService(db: Db) {
  const performance = createPerformanceRepository(db);
  const network = createNetworkRepository(db);
  let cached: { at: number; value: StoredPerformance | undefined } | undefined;

  return {
    /** Recomputes and stores every location's performance; how many fulfillments it read. */
    async refresh(now = new Date()): Promise<{ fulfillments: number; locations: number }> {
      const since = new Date(now.getTime() - LEARNING_WINDOW_DAYS * 86_400_000);
      const outcomes: FulfillmentOutcome[] = [];
      let cursor: { createdAt: string; id: string } | null = null;
      do {
        const page = await performance.records(since, cursor, PAGE);
        for (const record of page.records) outcomes.push(outcomeOf(record, now));
        cursor = page.next;
      } while (cursor);
      const locationIds = (await network.listLocations()).map((l) => l.id);
      const { priors, locations } = summarizeNetwork(locationIds, outcomes);
      await performance.save(since, priors, locations);
      cached = undefined;
      return { fulfillments: outcomes.length, locations: locations.length };
    },

    /** One location's stored performance (its prior alone before it has any), with the window. */
    async ofLocation(locationId: string): Promise<LocationPerformance & { priors: NetworkPriors; windowFrom: string | null; computedAt: string | null }> {
      const stored = await performance.load([locationId]);
      const priors = stored?.priors ?? networkPriors([]);
      return {
        ...(stored?.locations.get(locationId) ?? summarizeLocation(locationId, [], priors)),
        priors,
        windowFrom: stored?.windowFrom ?? null,
        computedAt: stored?.computedAt ?? null,
      };
    },

    /** What the engine reads per location (the network's prior for a location without a record); cached for a few minutes. */
    async learned(locationIds: readonly string[]): Promise<Map<string, LearnedLocation>> {
      if (!cached || Date.now() - cached.at > CACHE_MS) cached = { at: Date.now(), value: await performance.load() };
      const stored = cached.value;
      const priors = stored?.priors ?? networkPriors([]);
      const prior = reliabilityOf(priors.complete, priors.missedPickSla, priors.onTime);
      return new Map(locationIds.map((id) => {
        const p = stored?.locations.get(id);
        return [id, p ? learnedOf(p) : { reliability: prior, transitDays: {} }];
      }));
    },
  };
}

export type LearningService = ReturnType<typeof createLearningService>;

// The planning workflow's learning step: what each location's fulfillments did, summed and stored for routing.
import type { LearningService } from '../../services/routing/learning.ts';

export function createPerformanceActivities(deps: { learning: LearningService }) {
  return {
    async refreshLocationPerformance(): Promise<{ fulfillments: number; locations: number }> {
      return deps.learning.refresh();
    },
  };
}

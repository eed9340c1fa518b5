// The planning workflow's replenishment steps: tonight's proposals, then approving those whose
// policy approves itself (each approval idempotent, so a retried page starts nothing twice).
import type { ReplenishmentService } from '../../services/replenishment/replenishment.ts';

export function createReplenishmentActivities(deps: { replenishment: ReplenishmentService }) {
  return {
    async planReplenishment(input: { today: string }) {
      return deps.replenishment.plan(input.today);
    },
    async approveProposals(input: { ids: string[] }): Promise<{ approved: number }> {
      let approved = 0;
      for (const id of input.ids) if ('proposal' in (await deps.replenishment.approve(id))) approved += 1;
      return { approved };
    },
  };
}

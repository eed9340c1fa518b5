// Replenishment's side effects: the nightly plan (proposals from forecasts and stock, replacing
// those not yet approved) and approval - a transfer proposal starts the transfer workflow, a
// purchase proposal announces `replenishment.purchase_proposed`. Approval is recorded first and
// the transfer started after (under an id derived from the proposal), so a retried or repeated
// approval starts one transfer, and a plan running meanwhile cannot supersede it.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/knex.ts';
import { createReplenishmentRepository } from '../../db/repositories/replenishment.ts';
import { planReplenishment } from '../../domain/replenishment/plan.ts';
import type { ReplenishmentProposal } from '../../domain/replenishment/schemas.ts';
import { transferWorkflowId, transferWorkflowType } from '../../workflows/transfer/definitions.ts';
import { newId } from '../ids.ts';

export type ApprovalOutcome = { proposal: ReplenishmentProposal } | { refused: 'unknown' | 'superseded' };

export function createReplenishmentService(deps: { db: Db; temporal: Client; taskQueue: string }) {
  const repository = createReplenishmentRepository(deps.db);

  async function ensureTransfer(p: ReplenishmentProposal & { leadTimeDays: number }): Promise<void> {
    const transferId = p.transferId!;
    const now = new Date();
    try {
      await deps.temporal.workflow.start(transferWorkflowType, {
        workflowId: transferWorkflowId(transferId),
        taskQueue: deps.taskQueue,
        args: [
          {
            transferId,
            createdAt: now.toISOString(),
            request: { fromLocationId: p.fromLocationId!, toLocationId: p.locationId, lines: [{ sku: p.sku, quantity: p.quantity }], expectedAt: new Date(now.getTime() + Math.max(1, p.leadTimeDays) * 86_400_000).toISOString() },
          },
        ],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A transfer that ran and closed is not started again when the proposal is approved again.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `replenishment ${p.fromLocationId} → ${p.locationId}: ${p.quantity} × ${p.sku}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  return {
    repository,

    /** Tonight's proposals (replacing those not yet approved); the ids of those to approve at once. */
    async plan(today: string): Promise<{ proposed: number; transfers: number; purchases: number; autoApprove: string[] }> {
      const planned = planReplenishment(await repository.planItems(today)).map((p) => ({ ...p, id: newId('rpl'), leadTimeDays: p.reason.leadTimeDays }));
      await repository.replaceProposals(today, planned);
      return {
        proposed: planned.length,
        transfers: planned.filter((p) => p.kind === 'transfer').length,
        purchases: planned.filter((p) => p.kind === 'purchase').length,
        autoApprove: planned.filter((p) => p.autoApprove).map((p) => p.id),
      };
    },

    async approve(id: string): Promise<ApprovalOutcome> {
      const found = await repository.get(id);
      if (!found) return { refused: 'unknown' };
      if (found.status === 'superseded') return { refused: 'superseded' };
      if (found.status === 'proposed') {
        const transferId = found.kind === 'transfer' ? `trf_${id.replace(/^rpl_/, '')}` : null;
        // Lost a race with a plan that superseded it, or with another approval: read again.
        if (!(await repository.markApproved(id, transferId))) return this.approve(id);
      }
      const approved = (await repository.get(id))!;
      if (approved.kind === 'transfer') await ensureTransfer(approved);
      const { leadTimeDays: _, ...proposal } = approved;
      return { proposal };
    },
  };
}

export type ReplenishmentService = ReturnType<typeof createReplenishmentService>;

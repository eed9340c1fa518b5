// The safety net under compensation: finds held reservations whose owning workflow has
// closed (terminated, timed out, lost) and releases them, and reports any drift between
// `reserved` and the sum of held reservations. Run by a Temporal Schedule.
import { heartbeat, log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { checkInventoryInvariants, type InvariantViolation } from '../../db/inventory/invariants.ts';
import type { Db } from '../../db/knex.ts';
import type { InventoryRepository } from '../../db/repositories/inventory.ts';

export interface ReconciliationReport {
  checkedOwners: number;
  releasedOwners: string[];
  releasedReservations: number;
  drift: InvariantViolation[];
}

/** The workflow that owns a reservation: orders hold stock for their lines, transfers for theirs. */
export function owningWorkflowId(ownerId: string): string {
  return ownerId.startsWith('trf_') ? `transfer-${ownerId}` : `order-${ownerId}`;
}

export function createReconcileReservations(deps: { db: Db; inventory: InventoryRepository; temporal: Client }) {
  async function ownerIsOpen(ownerId: string): Promise<boolean> {
    try {
      const description = await deps.temporal.workflow.getHandle(owningWorkflowId(ownerId)).describe();
      return description.status.name === 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  return async function reconcileReservations(input: { minAgeSeconds: number }): Promise<ReconciliationReport> {
    // Young reservations are skipped: their workflow may not be visible yet.
    const owners = await deps.inventory.heldOrderIds(new Date(Date.now() - input.minAgeSeconds * 1000));
    const releasedOwners: string[] = [];
    let releasedReservations = 0;
    for (const ownerId of owners) {
      heartbeat(ownerId);
      if (await ownerIsOpen(ownerId)) continue;
      const released = await deps.inventory.release(ownerId, { actor: 'reconciliation' });
      if (released.length > 0) {
        releasedOwners.push(ownerId);
        releasedReservations += released.length;
        log.warn('released reservations of a closed workflow', { ownerId, count: released.length });
      }
    }
    const drift = (await checkInventoryInvariants(deps.db)).filter((v) => v.problem.startsWith('reserved'));
    if (drift.length > 0) log.error('reserved stock drifts from held reservations', { drift });
    return { checkedOwners: owners.length, releasedOwners, releasedReservations, drift };
  };
}

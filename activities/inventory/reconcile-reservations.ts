// The safety net under compensation: finds held reservations whose owning workflow has
// closed (terminated, timed out, lost) and releases them, and reports any drift between
// `reserved` and the sum of held reservations, to ops as an `alert.inventory_drift` event
// (the same drift at most once a day). Run by a Temporal Schedule.
import { createHash } from 'node:crypto';
import { heartbeat, log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { checkInventoryInvariants, type InvariantViolation } from '../../db/inventory/invariants.ts';
import type { Db } from '../../db/knex.ts';
import type { InventoryRepository } from '../../db/repositories/inventory.ts';
import { appendEvents } from '../../db/repositories/outbox.ts';
import type { BusinessMetrics } from '../../services/telemetry/business-metrics.ts';

export interface ReconciliationReport {
  checkedOwners: number;
  releasedOwners: string[];
  releasedReservations: number;
  drift: InvariantViolation[];
}

/** The workflow that owns a reservation: orders hold stock for their lines, transfers for theirs, promises for their hold. */
export function owningWorkflowId(ownerId: string): string {
  if (ownerId.startsWith('trf_')) return `transfer-${ownerId}`;
  if (ownerId.startsWith('prm_')) return `promise-${ownerId}`;
  return `order-${ownerId}`;
}

/** One alert per distinct drift per day: a drift that persists is not alerted every run. */
async function alertDrift(db: Db, drift: InvariantViolation[]): Promise<void> {
  const levels = [...drift].sort((a, b) => `${a.locationId}/${a.sku}`.localeCompare(`${b.locationId}/${b.sku}`));
  const digest = createHash('sha256').update(JSON.stringify(levels)).digest('hex').slice(0, 16);
  const day = new Date().toISOString().slice(0, 10);
  await appendEvents(db, [{ eventId: `alert.inventory_drift:${day}:${digest}`, type: 'alert.inventory_drift', orderId: null, data: { count: levels.length, levels: levels.slice(0, 100) } }]);
}

export function createReconcileReservations(deps: { db: Db; inventory: InventoryRepository; temporal: Client; metrics: Pick<BusinessMetrics, 'inventoryDrift' | 'inventoryDriftFound'> }) {
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
    deps.metrics.inventoryDrift.set(drift.length);
    if (drift.length > 0) {
      log.error('reserved stock drifts from held reservations', { drift });
      deps.metrics.inventoryDriftFound.add(drift.length);
      await alertDrift(deps.db, drift);
    }
    return { checkedOwners: owners.length, releasedOwners, releasedReservations, drift };
  };
}

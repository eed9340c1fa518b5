// The transfer workflow: reserve at the source, pick there (scans; shortages written off),
// ship (stock leaves the source and shows as incoming at the destination, with the carrier's
// tracking number or as a store run), receive what arrived (on hand at the destination; a
// short receipt records the rest as lost in transit). A transfer not received by its
// expected time is flagged overdue; cancelling before shipping releases the reservation.
//
// A pickup by transfer (input.forOrder) runs one as a child of the pickup fulfillment
// (steps.ts orderTransfer): it adopts the order's reservation at the source instead of
// reserving again, tells the fulfillment of every change, and on receipt reserves the
// arrived units at the store for the order in the same transaction. Only workflows started
// with forOrder take that path, so the commands of standalone transfers are unchanged.
import { condition } from '@temporalio/workflow';
import type { Transfer } from '../../domain/transfers/schemas.ts';
import type { TransferWorkflowInput } from '../../domain/transfers/state.ts';
import { registerTransferHandlers } from './handlers.ts';
import { activities, TransferRun } from './run.ts';
import { orderTransfer, receive, ship } from './steps.ts';

export async function transferWorkflow(input: TransferWorkflowInput): Promise<Transfer> {
  const run = new TransferRun(input);
  const { transfer } = run;
  registerTransferHandlers(run);

  await activities.recordTransfer({ transfer });
  if (run.forOrder) return orderTransfer(run, run.forOrder);
  const reserved = await activities.reserveTransferStock({ transfer });
  if (!reserved.ok) {
    transfer.status = 'rejected';
    run.record('transfer.rejected', { reason: `insufficient stock of ${reserved.sku} at ${transfer.fromLocationId}` });
    await run.publish();
    return transfer;
  }
  transfer.status = 'reserved';
  run.record('transfer.reserved');
  await run.publish();

  await condition(() => run.action === 'ship' || run.action === 'cancel');
  if (run.action === 'cancel') {
    await activities.releaseTransferStock({ transferId: transfer.id });
    transfer.status = 'cancelled';
    run.record('transfer.cancelled', { reason: run.cancelReason });
    await run.publish();
    return transfer;
  }

  await ship(run, {});

  const untilExpected = Math.max(0, Date.parse(transfer.expectedAt) - Date.now());
  if (!(await condition(() => run.action === 'receive', untilExpected))) {
    transfer.overdue = true;
    run.record('transfer.overdue', { expectedAt: transfer.expectedAt });
    await run.publish();
    await condition(() => run.action === 'receive');
  }

  await receive(run);
  return transfer;
}

// The transfer workflow: reserve at the source, ship (stock leaves the source and shows as
// incoming at the destination), receive (on hand at the destination). A transfer not
// received by its expected date is flagged overdue; cancelling before shipping releases
// the reservation.
import { orAttention } from '../needs-attention.ts';
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { INVALID_STATE, refuse, VALIDATION_ERROR } from '../update-refusals.ts';
import type { Activities } from '../../activities/index.ts';
import { initialTransfer, type Transfer, type TransferWorkflowInput } from '../../domain/transfers/schemas.ts';
import {
  cancelTransferUpdate,
  getTransferQuery,
  receiveTransferUpdate,
  shipTransferUpdate,
  waitForReservationUpdate,
} from './definitions.ts';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

function requireStatus(transfer: Transfer, allowed: Transfer['status'][], action: string, pending?: string): void {
  if (pending) {
    refuse(INVALID_STATE, `The transfer is already being ${pending}.`);
  }
  if (!allowed.includes(transfer.status)) {
    refuse(INVALID_STATE, `A ${transfer.status} transfer cannot be ${action}.`);
  }
}

export async function transferWorkflow(input: TransferWorkflowInput): Promise<Transfer> {
  const transfer = initialTransfer(input);
  let revision = 0;
  let action: 'ship' | 'receive' | 'cancel' | undefined;
  let cancelReason = '';
  const settled = (statuses: Transfer['status'][]) => () => statuses.includes(transfer.status);
  /** An accepted action the workflow has not finished yet (another action must wait for it). */
  const pendingAction = (): string | undefined => {
    if (action === 'ship' && transfer.status === 'reserved') return 'shipped';
    if (action === 'receive' && transfer.status === 'in_transit') return 'received';
    if (action === 'cancel' && transfer.status !== 'cancelled') return 'cancelled';
    return undefined;
  };

  function record(type: string, detail: Record<string, unknown> = {}): void {
    const at = new Date().toISOString();
    transfer.events.push({ at, type, detail });
    transfer.updatedAt = at;
  }
  async function publish(): Promise<void> {
    revision += 1;
    // A read model that refuses the data for good: recorded on the transfer, which goes on.
    await orAttention(() => activities.saveTransferSnapshot({ transfer, revision }), (failure) => {
      transfer.events.push({ at: new Date().toISOString(), type: 'transfer.needs_attention', detail: failure });
    }, undefined);
  }

  setHandler(getTransferQuery, () => transfer);
  setHandler(waitForReservationUpdate, async () => {
    await condition(() => transfer.status !== 'requested');
    return transfer;
  });
  setHandler(
    shipTransferUpdate,
    async () => {
      action = 'ship';
      await condition(settled(['in_transit']));
      return transfer;
    },
    { validator: () => requireStatus(transfer, ['reserved'], 'shipped', pendingAction()) },
  );
  setHandler(
    receiveTransferUpdate,
    async () => {
      action = 'receive';
      await condition(settled(['received']));
      return transfer;
    },
    { validator: () => requireStatus(transfer, ['in_transit'], 'received', pendingAction()) },
  );
  setHandler(
    cancelTransferUpdate,
    async ({ reason }) => {
      action = 'cancel';
      cancelReason = reason;
      await condition(settled(['cancelled']));
      return transfer;
    },
    {
      validator: (body) => {
        requireStatus(transfer, ['requested', 'reserved'], 'cancelled', pendingAction());
        if (typeof body?.reason !== 'string' || body.reason.trim() === '') {
          refuse(VALIDATION_ERROR, 'reason: is required');
        }
      },
    },
  );

  await activities.recordTransfer({ transfer });
  const reserved = await activities.reserveTransferStock({ transfer });
  if (!reserved.ok) {
    transfer.status = 'rejected';
    record('transfer.rejected', { reason: `insufficient stock of ${reserved.sku} at ${transfer.fromLocationId}` });
    await publish();
    return transfer;
  }
  transfer.status = 'reserved';
  record('transfer.reserved');
  await publish();

  await condition(() => action === 'ship' || action === 'cancel');
  if (action === 'cancel') {
    await activities.releaseTransferStock({ transferId: transfer.id });
    transfer.status = 'cancelled';
    record('transfer.cancelled', { reason: cancelReason });
    await publish();
    return transfer;
  }

  await activities.shipTransfer({ transferId: transfer.id, toLocationId: transfer.toLocationId });
  for (const line of transfer.lines) line.shipped = line.quantity;
  transfer.status = 'in_transit';
  record('transfer.shipped');
  await publish();

  const untilExpected = Math.max(0, Date.parse(transfer.expectedAt) - Date.now());
  if (!(await condition(() => action === 'receive', untilExpected))) {
    transfer.overdue = true;
    record('transfer.overdue', { expectedAt: transfer.expectedAt });
    await publish();
    await condition(() => action === 'receive');
  }

  await activities.receiveTransfer({ transferId: transfer.id, toLocationId: transfer.toLocationId });
  for (const line of transfer.lines) line.received = line.shipped;
  transfer.status = 'received';
  record('transfer.received');
  await publish();
  return transfer;
}

// Names of the transfer workflow's query and updates, shared with the API.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Transfer } from '../../domain/transfers/schemas.ts';

export const transferWorkflowType = 'transferWorkflow';

export function transferWorkflowId(transferId: string): string {
  return `transfer-${transferId}`;
}

export const getTransferQuery = defineQuery<Transfer>('getTransfer');
/** Completes once the source stock is reserved or the transfer was rejected. */
export const waitForReservationUpdate = defineUpdate<Transfer>('waitForReservation');
export const shipTransferUpdate = defineUpdate<Transfer>('ship');
export const receiveTransferUpdate = defineUpdate<Transfer>('receive');
export const cancelTransferUpdate = defineUpdate<Transfer, [{ reason: string }]>('cancel');

// Names of the transfer workflow's query, Updates and signals, shared with the API and with
// the pickup fulfillment that runs a transfer for its order.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PickTransferRequest, ReceiveTransferRequest, ShipTransferRequest, Transfer } from '../../domain/transfers/schemas.ts';
import type { Actor } from '../../domain/access/actor.ts';

export const transferWorkflowType = 'transferWorkflow';

export function transferWorkflowId(transferId: string): string {
  return `transfer-${transferId}`;
}

/** The transfer a pickup fulfillment runs for its order (one per fulfillment). */
export function orderTransferId(fulfillmentId: string): string {
  return `trf_${fulfillmentId.replace(/^ful_/, '')}`;
}

export const getTransferQuery = defineQuery<Transfer>('getTransfer');
/** Completes once the source stock is reserved or the transfer was rejected. */
export const waitForReservationUpdate = defineUpdate<Transfer>('waitForReservation');
export const pickTransferUpdate = defineUpdate<Transfer, [PickTransferRequest, Actor?]>('pick');
export const shipTransferUpdate = defineUpdate<Transfer, [ShipTransferRequest, Actor?]>('ship');
export const receiveTransferUpdate = defineUpdate<Transfer, [ReceiveTransferRequest, Actor?]>('receive');
export const cancelTransferUpdate = defineUpdate<Transfer, [{ reason: string }]>('cancel');

/**
 * From the pickup fulfillment: the units of each order line the order still wants. Fewer
 * than before (a cancellation): released at the source if not shipped yet, left unreserved at
 * the store on receipt. All zero: the order withdrew — cancelled before shipping, ordinary
 * store stock after.
 */
export const orderNeedsSignal = defineSignal<[{ lines: { lineId: string; quantity: number }[] }]>('orderNeeds');
/** To the pickup fulfillment: the transfer after every change. */
export const transferProgressSignal = defineSignal<[Transfer]>('transferProgress');

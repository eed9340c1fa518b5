// A transfer's state without zod (workflow code uses it; domain/transfers/schemas.ts has the
// schemas): its start, when it has ended, and how counted units are shared out to order lines.
import type { CreateTransferRequest, Transfer, TransferStatus } from './schemas.ts';

/** A transfer in these has ended. */
export const TRANSFER_ENDED: ReadonlySet<TransferStatus> = new Set(['received', 'rejected', 'cancelled']);

/** The order a pickup-by-transfer transfer works for, and the order lines it carries. */
export interface TransferForOrder {
  orderId: string;
  fulfillmentId: string;
  /** Each order line with the reservation holding its units at the source. */
  lines: { lineId: string; sku: string; quantity: number; reservationKey: string }[];
}

export interface TransferWorkflowInput {
  transferId: string;
  createdAt: string;
  request: CreateTransferRequest;
  forOrder?: TransferForOrder;
}

export function initialTransfer(input: TransferWorkflowInput): Transfer {
  return {
    id: input.transferId,
    fromLocationId: input.request.fromLocationId,
    toLocationId: input.request.toLocationId,
    status: 'requested',
    expectedAt: new Date(input.request.expectedAt).toISOString(),
    overdue: false,
    ...(input.forOrder ? { orderId: input.forOrder.orderId, fulfillmentId: input.forOrder.fulfillmentId } : {}),
    lines: input.request.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, shipped: 0, received: 0 })),
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    events: [{ at: input.createdAt, type: 'transfer.requested', detail: {} }],
  };
}

/**
 * Shares units counted per SKU out to order lines of that SKU, in line order, each up to
 * what it wants. Pure: the transfer (reserving on receipt) and the fulfillment (learning
 * what came) reach the same split.
 */
export function shareBySku(lines: readonly { lineId: string; sku: string; quantity: number }[], perSku: ReadonlyMap<string, number>): Map<string, number> {
  const left = new Map(perSku);
  const shares = new Map<string, number>();
  for (const line of lines) {
    const share = Math.max(0, Math.min(line.quantity, left.get(line.sku) ?? 0));
    shares.set(line.lineId, share);
    left.set(line.sku, (left.get(line.sku) ?? 0) - share);
  }
  return shares;
}

/** Quantities per SKU of lines (order lines, shipped reservations): a transfer carries each SKU once. */
export function quantitiesBySku(lines: readonly { sku: string; quantity: number }[]): Map<string, number> {
  const perSku = new Map<string, number>();
  for (const line of lines) perSku.set(line.sku, (perSku.get(line.sku) ?? 0) + line.quantity);
  return perSku;
}

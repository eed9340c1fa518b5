// One transfer workflow's state — the transfer resource, the action an Update asked for, the
// reservations holding its units at the source — and how it is published: the read model,
// and for a pickup by transfer the fulfillment waiting for it.
import { condition, getExternalWorkflowHandle, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { transferReservationKey } from '../../domain/inventory/reservation-keys.ts';
import type { ReceiveTransferRequest, ShipTransferRequest, Transfer } from '../../domain/transfers/schemas.ts';
import { initialTransfer, type TransferForOrder, type TransferWorkflowInput } from '../../domain/transfers/state.ts';
import { orAttention } from '../needs-attention.ts';
import { INVALID_STATE, refuse } from '../update-refusals.ts';
import { transferProgressSignal } from './definitions.ts';

export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** A reservation at the source holding some of the units (the order's line, or the transfer's SKU). */
interface Holding {
  sku: string;
  reservationKey: string;
  quantity: number;
  short: number;
}

export class TransferRun {
  readonly transfer: Transfer;
  readonly forOrder: TransferForOrder | undefined;
  action: 'ship' | 'receive' | 'cancel' | undefined;
  cancelReason = '';
  shipRequest: ShipTransferRequest = {};
  receiveRequest: ReceiveTransferRequest = {};
  shippedBy: string | undefined;
  receivedBy: string | undefined;
  /** Barcodes of the SKUs, loaded by the first pick. */
  barcodes: Map<string, string> | undefined;
  picks = 0;
  dirty = false;
  /** Pickup by transfer: what the order still wants of each line. */
  readonly needs: Map<string, number>;
  readonly holdings: Holding[];
  private busy = false;
  private revision = 0;

  constructor(input: TransferWorkflowInput) {
    this.transfer = initialTransfer(input);
    this.forOrder = input.forOrder;
    const { transfer, forOrder } = this;
    this.needs = new Map((forOrder?.lines ?? []).map((l) => [l.lineId, l.quantity]));
    this.holdings = forOrder
      ? forOrder.lines.map((l) => ({ sku: l.sku, reservationKey: l.reservationKey, quantity: l.quantity, short: 0 }))
      : transfer.lines.map((l) => ({ sku: l.sku, reservationKey: transferReservationKey(transfer.id, l.sku, transfer.fromLocationId), quantity: l.quantity, short: 0 }));
  }

  /** The order withdrew: it wants none of the units any more. */
  withdrawn(): boolean {
    return this.forOrder !== undefined && [...this.needs.values()].every((q) => q === 0);
  }

  settled(statuses: Transfer['status'][]): () => boolean {
    return () => statuses.includes(this.transfer.status);
  }

  /** An accepted action the workflow has not finished yet (another action must wait for it). */
  pendingAction(): string | undefined {
    const { action, transfer } = this;
    if (action === 'ship' && transfer.status === 'reserved') return 'shipped';
    if (action === 'receive' && transfer.status === 'in_transit') return 'received';
    if (action === 'cancel' && transfer.status !== 'cancelled') return 'cancelled';
    if (this.withdrawn() && transfer.status === 'reserved') return 'cancelled';
    return undefined;
  }

  requireStatus(allowed: Transfer['status'][], action: string): void {
    const pending = this.pendingAction();
    if (pending) refuse(INVALID_STATE, `The transfer is already being ${pending}.`);
    if (!allowed.includes(this.transfer.status)) refuse(INVALID_STATE, `A ${this.transfer.status} transfer cannot be ${action}.`);
  }

  record(type: string, detail: Record<string, unknown> = {}): void {
    const at = new Date().toISOString();
    this.transfer.events.push({ at, type, detail });
    this.transfer.updatedAt = at;
  }

  async publish(): Promise<void> {
    const { transfer } = this;
    this.revision += 1;
    const revision = this.revision;
    // A read model that refuses the data for good: recorded on the transfer, which goes on.
    await orAttention(() => activities.saveTransferSnapshot({ transfer, revision }), (failure) => {
      transfer.events.push({ at: new Date().toISOString(), type: 'transfer.needs_attention', detail: failure });
    }, undefined);
    if (!this.forOrder) return;
    const parent = workflowInfo().parent;
    if (!parent) return;
    try {
      await getExternalWorkflowHandle(parent.workflowId).signal(transferProgressSignal, transfer);
    } catch (err) {
      // The fulfillment has closed: the units come as the store's stock, nobody waits for them.
      log.warn('could not tell the pickup fulfillment', { transferId: transfer.id, error: String(err) });
    }
  }

  /** Waits for `done`, publishing what signals changed meanwhile. */
  async waitUntil(done: () => boolean): Promise<void> {
    while (!done()) {
      await condition(() => done() || this.dirty);
      if (this.dirty) {
        this.dirty = false;
        await this.publish();
      }
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    await condition(() => !this.busy);
    this.busy = true;
    try {
      return await work();
    } finally {
      this.busy = false;
    }
  }

  /** The transfer's lines as pick lines (one per SKU, with its barcode once loaded). */
  pickLines() {
    return this.transfer.lines.map((l) => ({
      lineId: l.sku,
      sku: l.sku,
      ...(this.barcodes?.get(l.sku) ? { gtin: this.barcodes.get(l.sku)! } : {}),
      quantity: l.quantity,
      picked: l.picked ?? 0,
      short: l.short ?? 0,
    }));
  }

  /** Picking has begun: shipping then waits until every unit is picked or reported short. */
  picking(): boolean {
    return this.transfer.lines.some((l) => (l.picked ?? 0) + (l.short ?? 0) > 0);
  }

  /** Units the source could not find: written off its shelf, out of the reservations holding them. */
  async writeOff(sku: string, quantity: number, by: string): Promise<void> {
    let left = quantity;
    for (const holding of this.holdings.filter((h) => h.sku === sku)) {
      const take = Math.min(left, holding.quantity - holding.short);
      if (take <= 0) continue;
      await activities.writeOffShortPick({ reservationKey: holding.reservationKey, quantity: take, idempotencyKey: `transfer_short:${this.transfer.id}:${holding.reservationKey}:${this.picks}`, actor: by });
      holding.short += take;
      left -= take;
    }
  }
}

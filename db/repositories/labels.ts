// Shipping labels bought for fulfillments: one per fulfillment (a repeat returns it), the
// PDF and the ZPL kept so associates can print it again, on any printer.
import type { Db } from '../knex.ts';
import type { Money } from '../../domain/money.ts';
import type { Package } from '../../domain/fulfillments/schemas.ts';

export interface ShippingLabel {
  fulfillmentId: string;
  trackingNumber: string;
  carrier: string;
  service: string;
  rate: Money;
  packages: Package[];
}

interface DbLabelRow {
  fulfillment_id: string;
  tracking_number: string;
  carrier: string;
  service: string;
  rate_amount: string;
  rate_currency: string;
  packages: Package[];
  pdf: Buffer;
  zpl: string | null;
}

function toLabel(row: DbLabelRow): ShippingLabel {
  return {
    fulfillmentId: row.fulfillment_id,
    trackingNumber: row.tracking_number,
    carrier: row.carrier,
    service: row.service,
    rate: { amount: Number(row.rate_amount), currency: row.rate_currency },
    packages: row.packages,
  };
}

export function createLabelsRepository(db: Db) {
  return {
    /** Stores a label unless the fulfillment already has one; returns the one stored. */
    async save(label: ShippingLabel, drawn: { pdf: Buffer; zpl: string }): Promise<ShippingLabel> {
      await db('shipping_labels')
        .insert({
          fulfillment_id: label.fulfillmentId,
          tracking_number: label.trackingNumber,
          carrier: label.carrier,
          service: label.service,
          rate_amount: label.rate.amount,
          rate_currency: label.rate.currency,
          packages: JSON.stringify(label.packages),
          pdf: drawn.pdf,
          zpl: drawn.zpl,
        })
        .onConflict('fulfillment_id')
        .ignore();
      const stored = await this.get(label.fulfillmentId);
      if (!stored) throw new Error(`label of ${label.fulfillmentId} vanished`);
      return stored;
    },

    async get(fulfillmentId: string): Promise<ShippingLabel | undefined> {
      const row = await db<DbLabelRow>('shipping_labels').where({ fulfillment_id: fulfillmentId }).first();
      return row ? toLabel(row) : undefined;
    },

    /** Voids a label that will not ship; idempotent. */
    async void(fulfillmentId: string): Promise<boolean> {
      const updated = await db('shipping_labels').where({ fulfillment_id: fulfillmentId }).whereNull('voided_at').update({ voided_at: db.fn.now() });
      return updated > 0;
    },

    async pdf(fulfillmentId: string): Promise<Buffer | undefined> {
      const row = await db<DbLabelRow>('shipping_labels').where({ fulfillment_id: fulfillmentId }).first('pdf');
      return row?.pdf;
    },

    /** The ZPL of a label (null: bought before labels were drawn as ZPL too). */
    async zpl(fulfillmentId: string): Promise<string | null | undefined> {
      const row = await db<DbLabelRow>('shipping_labels').where({ fulfillment_id: fulfillmentId }).first('zpl');
      return row ? row.zpl : undefined;
    },
  };
}

export type LabelsRepository = ReturnType<typeof createLabelsRepository>;

// Shipping labels bought for fulfillments and returns: one per shipment id (a repeat returns
// it), with the gateway that bought it and the label as bought (the built-in gateway draws a
// PDF and ZPL; a carrier gateway gives the format it was asked for), kept so associates can
// print it again.
import type { Db } from '../knex.ts';
import type { Money } from '../../domain/money.ts';
import type { Package } from '../../domain/fulfillments/schemas.ts';
import type { GatewayName } from '../../domain/shipping/gateway.ts';

export interface ShippingLabel {
  fulfillmentId: string;
  trackingNumber: string;
  carrier: string;
  service: string;
  rate: Money;
  packages: Package[];
  /** Absent on labels bought before gateways: the built-in one bought those. */
  gateway?: GatewayName;
  /** The gateway's id of the shipment. */
  shipmentId?: string;
  /** Each package's tracking number, in the order packed. */
  packageTrackingNumbers?: string[];
  voided?: boolean;
}

interface DbLabelRow {
  fulfillment_id: string;
  tracking_number: string;
  carrier: string;
  service: string;
  rate_amount: string;
  rate_currency: string;
  packages: Package[];
  pdf: Buffer | null;
  zpl: string | null;
  gateway: GatewayName;
  gateway_shipment_id: string | null;
  package_tracking_numbers: string[] | null;
  voided_at: Date | null;
}

function toLabel(row: DbLabelRow): ShippingLabel {
  return {
    fulfillmentId: row.fulfillment_id,
    trackingNumber: row.tracking_number,
    carrier: row.carrier,
    service: row.service,
    rate: { amount: Number(row.rate_amount), currency: row.rate_currency },
    packages: row.packages,
    gateway: row.gateway,
    ...(row.gateway_shipment_id ? { shipmentId: row.gateway_shipment_id } : {}),
    packageTrackingNumbers: row.package_tracking_numbers ?? row.packages.map(() => row.tracking_number),
    ...(row.voided_at ? { voided: true } : {}),
  };
}

const LABEL_COLUMNS: (keyof DbLabelRow)[] = ['fulfillment_id', 'tracking_number', 'carrier', 'service', 'rate_amount', 'rate_currency', 'packages', 'gateway', 'gateway_shipment_id', 'package_tracking_numbers', 'voided_at'];

export function createLabelsRepository(db: Db) {
  return {
    /** Stores a label unless the fulfillment already has one; returns the one stored. */
    async save(label: ShippingLabel, drawn: { pdf?: Buffer; zpl?: string }): Promise<ShippingLabel> {
      await db('shipping_labels')
        .insert({
          fulfillment_id: label.fulfillmentId,
          tracking_number: label.trackingNumber,
          carrier: label.carrier,
          service: label.service,
          rate_amount: label.rate.amount,
          rate_currency: label.rate.currency,
          packages: JSON.stringify(label.packages),
          pdf: drawn.pdf ?? null,
          zpl: drawn.zpl ?? null,
          gateway: label.gateway ?? 'builtin',
          gateway_shipment_id: label.shipmentId ?? null,
          package_tracking_numbers: JSON.stringify(label.packageTrackingNumbers ?? label.packages.map(() => label.trackingNumber)),
        })
        .onConflict('fulfillment_id')
        .ignore();
      const stored = await this.get(label.fulfillmentId);
      if (!stored) throw new Error(`label of ${label.fulfillmentId} vanished`);
      return stored;
    },

    async get(fulfillmentId: string): Promise<ShippingLabel | undefined> {
      const row = await db<DbLabelRow>('shipping_labels').where({ fulfillment_id: fulfillmentId }).first(...LABEL_COLUMNS);
      return row ? toLabel(row) : undefined;
    },

    /** The label bought under a tracking number (the shipment's or one package's), voided or not. */
    async byTrackingNumber(trackingNumber: string): Promise<ShippingLabel | undefined> {
      const row = await db<DbLabelRow>('shipping_labels')
        .where({ tracking_number: trackingNumber })
        .orWhereRaw('package_tracking_numbers @> ?::jsonb', [JSON.stringify([trackingNumber])])
        .first(...LABEL_COLUMNS);
      return row ? toLabel(row) : undefined;
    },

    /** Voids a label that will not ship; idempotent. */
    async void(fulfillmentId: string): Promise<boolean> {
      const updated = await db('shipping_labels').where({ fulfillment_id: fulfillmentId }).whereNull('voided_at').update({ voided_at: db.fn.now() });
      return updated > 0;
    },

    /** The PDF of a label (null: the gateway was asked for ZPL). */
    async pdf(fulfillmentId: string): Promise<Buffer | null | undefined> {
      const row = await db<DbLabelRow>('shipping_labels').where({ fulfillment_id: fulfillmentId }).first('pdf');
      return row ? row.pdf : undefined;
    },

    /** The ZPL of a label (null: bought before labels were drawn as ZPL too, or the gateway was asked for a PDF). */
    async zpl(fulfillmentId: string): Promise<string | null | undefined> {
      const row = await db<DbLabelRow>('shipping_labels').where({ fulfillment_id: fulfillmentId }).first('zpl');
      return row ? row.zpl : undefined;
    },
  };
}

export type LabelsRepository = ReturnType<typeof createLabelsRepository>;

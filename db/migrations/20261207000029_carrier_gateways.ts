// Labels bought through a carrier gateway (issue 30): which gateway bought each, its id of the
// shipment (to void it and to find it again), each package's own tracking number, and a PDF
// that may be absent (a carrier gives the one format it was asked for).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('shipping_labels', (t) => {
    t.text('gateway').notNullable().defaultTo('builtin');
    t.text('gateway_shipment_id');
    t.jsonb('package_tracking_numbers');
    t.binary('pdf').nullable().alter();
  });
  // Carrier webhooks may name any package's tracking number.
  await knex.raw('create index shipping_labels_package_tracking_numbers on shipping_labels using gin (package_tracking_numbers jsonb_path_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex('shipping_labels').whereNull('pdf').delete();
  await knex.raw('drop index if exists shipping_labels_package_tracking_numbers');
  await knex.schema.alterTable('shipping_labels', (t) => {
    t.dropColumn('gateway');
    t.dropColumn('gateway_shipment_id');
    t.dropColumn('package_tracking_numbers');
    t.binary('pdf').notNullable().alter();
  });
}

// A label bought for a fulfillment that is then cancelled is voided (not charged by the carrier).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('shipping_labels', (t) => {
    t.timestamp('voided_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('shipping_labels', (t) => {
    t.dropColumn('voided_at');
  });
}

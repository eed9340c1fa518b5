// Past demand imported from an ERP, one row per SKU, location, channel and day (`''` when the
// ERP does not say which channel). The demand Fulcrum sees itself is read from its orders.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('demand_history', (t) => {
    t.text('sku').notNullable();
    t.text('location_id').notNullable();
    t.text('channel').notNullable().defaultTo('');
    t.date('day').notNullable();
    t.integer('quantity').notNullable();
    t.boolean('stockout').notNullable().defaultTo(false);
    t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['sku', 'location_id', 'channel', 'day']);
    t.index(['location_id', 'sku', 'day']);
  });
  await knex.raw('ALTER TABLE demand_history ADD CONSTRAINT demand_history_quantity_check CHECK (quantity >= 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('demand_history');
}

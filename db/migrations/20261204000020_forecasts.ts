// Stored forecasts, one per SKU, location and channel ('' for the whole network or every
// channel): recomputed each night by the planning schedule and on demand, read by the API
// and by replenishment.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('forecasts', (t) => {
    t.text('sku').notNullable();
    t.text('location_id').notNullable().defaultTo('');
    t.text('channel').notNullable().defaultTo('');
    t.text('method').notNullable();
    t.text('demand_class').notNullable();
    t.date('history_from');
    t.date('history_through').notNullable();
    t.integer('stockout_days').notNullable();
    t.jsonb('daily').notNullable();
    t.jsonb('backtest').notNullable();
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['sku', 'location_id', 'channel']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('forecasts');
}

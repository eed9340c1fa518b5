// The orders read model. The (channel, channel_order_id) unique key is also what makes
// order creation idempotent: the API registers the order here before starting its workflow.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('orders', (t) => {
    t.text('id').primary();
    t.text('channel').notNullable();
    t.text('channel_order_id').notNullable();
    t.text('request_hash').notNullable();
    t.text('status').notNullable();
    t.text('customer_id');
    t.boolean('on_hold').notNullable().defaultTo(false);
    t.specificType('fulfillment_locations', 'text[]').notNullable().defaultTo('{}');
    // The workflow's view of the order; revision only grows, so a late retry never overwrites newer state.
    t.jsonb('snapshot');
    t.integer('revision').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['channel', 'channel_order_id']);
    t.index(['status', 'created_at']);
    t.index(['channel', 'created_at']);
  });
  await knex.raw('CREATE INDEX orders_fulfillment_locations_idx ON orders USING gin (fulfillment_locations)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('orders');
}

// Channel sync (issue 31): what a shop integration (the Medusa plugin) last said about its side
// of the link — orders it has not yet handed to Fulcrum, orders Fulcrum refused, when it last
// levelled stock — so the ops board can show a gap Fulcrum cannot see by itself.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('channel_sync_reports', (t) => {
    t.text('channel').primary();
    t.text('source').notNullable();
    t.integer('pending_orders').notNullable();
    t.integer('refused_orders').notNullable();
    t.timestamp('oldest_pending_at', { useTz: true });
    t.text('last_error');
    t.timestamp('inventory_synced_at', { useTz: true });
    t.timestamp('reported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('channel_sync_reports');
}

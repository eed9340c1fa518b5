// What routing has learned of each location (domain/sourcing/learning.ts), recomputed by the
// planning run from the fulfillments of the last 90 days; '*' holds the network's own rates.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('location_performance', (t) => {
    t.text('location_id').primary();
    t.jsonb('performance').notNullable();
    t.timestamp('window_from', { useTz: true }).notNullable();
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('location_performance');
}

// Replenishment: policies per location ('' sku: the location's default) and the proposals the
// nightly plan makes, each with its reason in numbers.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('replenishment_policies', (t) => {
    t.text('location_id').notNullable().references('locations.id');
    t.text('sku').notNullable().defaultTo('');
    t.double('service_level').notNullable();
    t.integer('lead_time_days').notNullable();
    t.integer('review_period_days').notNullable();
    t.text('source_location_id').references('locations.id');
    t.text('supplier');
    t.integer('min_quantity');
    t.integer('multiple');
    t.boolean('auto_approve').notNullable().defaultTo(false);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['location_id', 'sku']);
  });
  await knex.schema.createTable('replenishment_proposals', (t) => {
    t.text('id').primary();
    t.text('location_id').notNullable().references('locations.id');
    t.text('sku').notNullable();
    t.text('kind').notNullable();
    t.text('from_location_id');
    t.text('supplier');
    t.integer('quantity').notNullable();
    t.text('status').notNullable().defaultTo('proposed');
    t.boolean('auto_approve').notNullable();
    t.date('planning_day').notNullable();
    t.integer('lead_time_days').notNullable();
    t.jsonb('reason').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('approved_at', { useTz: true });
    t.text('transfer_id');
    t.index(['location_id', 'status']);
    t.index(['status', 'kind']);
  });
  await knex.raw(`ALTER TABLE replenishment_proposals ADD CONSTRAINT replenishment_proposals_kind CHECK (kind IN ('transfer', 'purchase'))`);
  await knex.raw(`ALTER TABLE replenishment_proposals ADD CONSTRAINT replenishment_proposals_status CHECK (status IN ('proposed', 'approved', 'superseded'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('replenishment_proposals');
  await knex.schema.dropTable('replenishment_policies');
}

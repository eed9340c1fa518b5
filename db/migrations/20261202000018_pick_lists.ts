// Batch picking: a pick list groups open fulfillments of one location into one walk; its
// scans are shared out to them (each share is that fulfillment's own pick), recorded here.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pick_lists', (t) => {
    t.text('id').primary();
    t.text('location_id').notNullable().references('id').inTable('locations');
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['location_id', 'created_at']);
  });
  await knex.schema.createTable('pick_list_fulfillments', (t) => {
    t.text('pick_list_id').notNullable().references('id').inTable('pick_lists');
    t.text('fulfillment_id').notNullable();
    t.integer('position').notNullable();
    t.primary(['pick_list_id', 'fulfillment_id']);
  });
  await knex.schema.createTable('pick_list_scans', (t) => {
    t.bigIncrements('id');
    t.text('pick_list_id').notNullable().references('id').inTable('pick_lists');
    t.text('barcode').notNullable();
    t.integer('quantity').notNullable();
    t.jsonb('shares').notNullable();
    t.text('scanned_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pick_list_scans');
  await knex.schema.dropTable('pick_list_fulfillments');
  await knex.schema.dropTable('pick_lists');
}

// Locations (warehouses, stores, dark stores, …) and the SKU catalogue.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('locations', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('type').notNullable();
    t.double('lat').notNullable();
    t.double('lon').notNullable();
    t.text('timezone').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.jsonb('capabilities').notNullable();
    t.integer('daily_order_capacity');
    t.integer('priority');
    t.integer('handling_cost_amount');
    t.text('handling_cost_currency');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE locations ADD CONSTRAINT locations_type_check
       CHECK (type IN ('warehouse','store','dark_store','micro_fulfillment','3pl'))`,
  );

  await knex.schema.createTable('skus', (t) => {
    t.text('sku').primary();
    t.text('name').notNullable();
    t.text('gtin').unique();
    t.integer('weight_grams').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('skus');
  await knex.schema.dropTable('locations');
}

// Non-sellable stock (quarantine), per-channel allocation, and transfers between locations.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inventory_levels', (t) => {
    t.integer('quarantined').notNullable().defaultTo(0);
  });
  await knex.raw('ALTER TABLE inventory_levels ADD CONSTRAINT inventory_levels_quarantined_check CHECK (quarantined >= 0)');
  await knex.schema.alterTable('inventory_ledger', (t) => {
    t.integer('quarantined_delta').notNullable().defaultTo(0);
    t.integer('quarantined_after').notNullable().defaultTo(0);
  });

  // A channel may sell from a subset of locations and/or a share of each location's stock.
  await knex.schema.createTable('channel_allocations', (t) => {
    t.text('channel').primary();
    t.specificType('location_ids', 'text[]');
    t.integer('share_percent').notNullable().defaultTo(100);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    'ALTER TABLE channel_allocations ADD CONSTRAINT channel_allocations_share_check CHECK (share_percent BETWEEN 0 AND 100)',
  );

  await knex.schema.createTable('transfers', (t) => {
    t.text('id').primary();
    t.text('from_location_id').notNullable().references('locations.id');
    t.text('to_location_id').notNullable().references('locations.id');
    t.text('status').notNullable();
    t.timestamp('expected_at', { useTz: true }).notNullable();
    t.jsonb('snapshot').notNullable();
    t.integer('revision').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // Units that left the source and have not yet been received: "incoming" at the destination.
  await knex.schema.createTable('transfer_lines', (t) => {
    t.text('transfer_id').notNullable().references('transfers.id');
    t.text('sku').notNullable().references('skus.sku');
    t.integer('quantity').notNullable();
    t.integer('in_transit').notNullable().defaultTo(0);
    t.integer('received').notNullable().defaultTo(0);
    t.primary(['transfer_id', 'sku']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('transfer_lines');
  await knex.schema.dropTable('transfers');
  await knex.schema.dropTable('channel_allocations');
  await knex.schema.alterTable('inventory_ledger', (t) => {
    t.dropColumn('quarantined_after');
    t.dropColumn('quarantined_delta');
  });
  await knex.schema.alterTable('inventory_levels', (t) => {
    t.dropColumn('quarantined');
  });
}

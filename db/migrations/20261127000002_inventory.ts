// Stock per (location, SKU), the reservations that hold it for order lines, and the
// append-only ledger every change writes (its idempotency key makes retries harmless).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inventory_levels', (t) => {
    t.text('location_id').notNullable().references('locations.id');
    t.text('sku').notNullable().references('skus.sku');
    t.integer('on_hand').notNullable().defaultTo(0);
    t.integer('reserved').notNullable().defaultTo(0);
    t.integer('safety_stock').notNullable().defaultTo(0);
    t.timestamp('feed_as_of', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['location_id', 'sku']);
  });
  await knex.raw(`ALTER TABLE inventory_levels
    ADD CONSTRAINT inventory_levels_on_hand_check CHECK (on_hand >= 0),
    ADD CONSTRAINT inventory_levels_reserved_check CHECK (reserved >= 0),
    ADD CONSTRAINT inventory_levels_safety_stock_check CHECK (safety_stock >= 0)`);
  await knex.raw('CREATE INDEX inventory_levels_sku_idx ON inventory_levels (sku)');

  await knex.schema.createTable('reservations', (t) => {
    t.bigIncrements('id');
    // orderId + lineId + locationId + routing attempt: the business key retries reuse.
    t.text('reservation_key').notNullable().unique();
    t.text('order_id').notNullable();
    t.text('line_id').notNullable();
    t.integer('attempt').notNullable();
    t.text('location_id').notNullable();
    t.text('sku').notNullable();
    t.integer('quantity').notNullable();
    t.text('state').notNullable().defaultTo('held');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['order_id']);
    t.index(['location_id', 'sku', 'state']);
  });
  await knex.raw(`ALTER TABLE reservations
    ADD CONSTRAINT reservations_quantity_check CHECK (quantity > 0),
    ADD CONSTRAINT reservations_state_check CHECK (state IN ('held','committed','released'))`);

  await knex.schema.createTable('inventory_ledger', (t) => {
    t.bigIncrements('id');
    t.text('location_id').notNullable();
    t.text('sku').notNullable();
    t.text('reason').notNullable();
    t.text('reference');
    t.integer('on_hand_delta').notNullable().defaultTo(0);
    t.integer('reserved_delta').notNullable().defaultTo(0);
    t.integer('safety_stock_delta').notNullable().defaultTo(0);
    t.integer('on_hand_after').notNullable();
    t.integer('reserved_after').notNullable();
    t.integer('safety_stock_after').notNullable();
    t.text('idempotency_key').notNullable().unique();
    t.text('actor');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['location_id', 'sku', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('inventory_ledger');
  await knex.schema.dropTable('reservations');
  await knex.schema.dropTable('inventory_levels');
}

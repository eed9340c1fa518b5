// An order's request is stored with its registration, so an order registered but never
// started (its API process died while the order queued for a routing wait, or between the
// two steps) is started by the intake sweep instead of waiting for the channel's retry.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.jsonb('request');
    t.timestamp('start_swept_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX orders_unstarted ON orders (created_at) WHERE snapshot IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS orders_unstarted');
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('request');
    t.dropColumn('start_swept_at');
  });
}

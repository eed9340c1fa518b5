// Browser sessions of the console (/app): an API key exchanged for an httpOnly cookie. The
// token is stored only as its hash; the CSRF token is sent back on every change. And the
// console's settings (the board's thresholds), one JSON value per key.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('console_sessions', (t) => {
    t.text('token_hash').primary();
    t.text('api_key_id').notNullable().references('id').inTable('api_keys');
    t.text('csrf_token').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.index(['api_key_id']);
  });
  await knex.schema.createTable('console_settings', (t) => {
    t.text('key').primary();
    t.jsonb('value').notNullable();
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (order_id) WHERE status = 'failed'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS webhook_deliveries_failed');
  await knex.schema.dropTable('console_settings');
  await knex.schema.dropTable('console_sessions');
}

// API keys (stored only as SHA-256 hashes) and the responses kept for Idempotency-Key replays.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_keys', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('role').notNullable();
    t.text('channel');
    t.specificType('location_ids', 'text[]');
    t.text('key_hash').notNullable().unique();
    t.text('origin').notNullable().defaultTo('api');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
    CHECK (role IN ('channel','associate','ops','exceptions','carrier','admin'))`);

  await knex.schema.createTable('idempotency_requests', (t) => {
    t.text('api_key_id').notNullable();
    t.text('idempotency_key').notNullable();
    t.text('method').notNullable();
    t.text('path').notNullable();
    t.text('request_hash').notNullable();
    t.integer('status_code');
    t.jsonb('response_body');
    t.jsonb('response_headers');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['api_key_id', 'idempotency_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_requests');
  await knex.schema.dropTable('api_keys');
}

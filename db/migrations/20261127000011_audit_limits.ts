// The audit log (append-only: a trigger refuses UPDATE and DELETE) and a per-key rate limit.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.integer('rate_limit_per_minute');
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('key_id');
    t.text('key_name');
    t.text('role');
    t.text('action').notNullable();
    t.text('method').notNullable();
    t.text('path').notNullable();
    t.text('target');
    t.integer('status').notNullable();
    t.text('outcome').notNullable();
    t.text('request_id');
    t.index(['at']);
    t.index(['key_id', 'at']);
    t.index(['target', 'at']);
  });
  await knex.raw(`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END;
    $$ LANGUAGE plpgsql`);
  await knex.raw(`
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER audit_log_append_only ON audit_log');
  await knex.raw('DROP FUNCTION audit_log_append_only()');
  await knex.schema.dropTable('audit_log');
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('rate_limit_per_minute');
  });
}

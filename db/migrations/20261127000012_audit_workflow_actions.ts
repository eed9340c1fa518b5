// Exception actions also reach orders as Temporal Updates sent straight to the workflow (the
// CLI). The order workflow's events carry who did them; they are audited too, once each,
// keyed by the event they came from.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.text('event_id').unique();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER audit_log_append_only ON audit_log');
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropColumn('event_id');
  });
  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
}

// Routing rules (domain/sourcing/profile-rules.ts): every save is a new version, the highest
// one in force, so a decision's explanation can be traced to the rules it was made under.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('routing_rule_versions', (t) => {
    t.integer('version').primary();
    t.jsonb('rules').notNullable();
    t.text('actor');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('routing_rule_versions');
}

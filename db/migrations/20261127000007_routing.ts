// Routing profiles (versioned; every version kept) and every routing decision with its
// explanation, so "why did this order go there?" always has an answer.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('routing_profiles', (t) => {
    t.text('id').primary();
    t.integer('version').notNullable();
    t.jsonb('body').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('routing_profile_versions', (t) => {
    t.text('id').notNullable();
    t.integer('version').notNullable();
    t.jsonb('body').notNullable();
    t.text('actor');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['id', 'version']);
  });
  await knex.schema.createTable('routing_decisions', (t) => {
    t.text('order_id').notNullable();
    t.integer('attempt').notNullable();
    t.text('profile_id').notNullable();
    t.integer('profile_version').notNullable();
    t.jsonb('plan').notNullable();
    t.jsonb('explanation').notNullable();
    t.timestamp('decided_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['order_id', 'attempt']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('routing_decisions');
  await knex.schema.dropTable('routing_profile_versions');
  await knex.schema.dropTable('routing_profiles');
}

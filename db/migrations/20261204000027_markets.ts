// Markets (domain/markets): each a versioned body; locations name theirs.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('markets', (t) => {
    t.text('id').primary();
    t.integer('version').notNullable();
    t.jsonb('body').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('locations', (t) => {
    t.text('market_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('locations', (t) => {
    t.dropColumn('market_id');
  });
  await knex.schema.dropTable('markets');
}

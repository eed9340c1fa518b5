// Delivery promises (domain/promises): the options quoted for a cart, the plan behind each,
// and the hold on one option's stock (its reservations are owned by the promise's id).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('promises', (t) => {
    t.text('id').primary();
    t.text('channel').notNullable();
    t.jsonb('request').notNullable();
    /** PlannedOption[]: each option with its plan. */
    t.jsonb('options').notNullable();
    t.jsonb('unavailable').notNullable();
    t.text('held_option_id');
    t.text('hold_state');
    t.timestamp('expires_at', { useTz: true });
    t.text('order_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('promises');
}

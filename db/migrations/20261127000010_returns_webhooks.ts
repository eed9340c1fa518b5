// Returns (the read model behind GET /v1/returns and the guard against over-returning),
// per-channel return policies, and webhooks: subscriptions and their delivery log, fed
// from the outbox.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('returns', (t) => {
    t.text('id').primary();
    t.text('order_id').notNullable();
    t.text('channel').notNullable();
    t.text('rma').notNullable().unique();
    t.text('status').notNullable();
    t.text('method').notNullable();
    t.jsonb('snapshot').notNullable();
    t.integer('revision').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['order_id']);
  });
  // Units asked back per line: registered under a lock on the order row, so two concurrent
  // returns can never ask for more than was shipped or collected.
  await knex.schema.createTable('return_lines', (t) => {
    t.text('return_id').notNullable().references('id').inTable('returns');
    t.text('order_id').notNullable();
    t.text('line_id').notNullable();
    t.integer('quantity').notNullable();
    t.integer('received').notNullable().defaultTo(0);
    t.boolean('open').notNullable().defaultTo(true);
    t.primary(['return_id', 'line_id']);
    t.index(['order_id']);
  });
  await knex.schema.createTable('return_policies', (t) => {
    t.text('channel').primary();
    t.integer('window_days').notNullable();
    t.integer('receipt_days').notNullable();
    t.boolean('exchange_before_receipt').notNullable().defaultTo(false);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('webhook_subscriptions', (t) => {
    t.text('id').primary();
    t.text('url').notNullable();
    t.specificType('events', 'text[]').notNullable();
    t.text('secret').notNullable();
    // The outbox position this subscription has been fanned out to.
    t.bigInteger('cursor').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('id');
    t.text('subscription_id').notNullable().references('id').inTable('webhook_subscriptions');
    t.bigInteger('event_sequence').notNullable();
    t.text('order_id');
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('last_status_code');
    t.text('last_error');
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.unique(['subscription_id', 'event_sequence']);
    t.index(['status', 'next_attempt_at']);
    t.index(['subscription_id', 'order_id', 'event_sequence']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['webhook_deliveries', 'webhook_subscriptions', 'return_policies', 'return_lines', 'returns']) {
    await knex.schema.dropTable(table);
  }
}

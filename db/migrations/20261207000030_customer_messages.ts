// Customer messages (issue 30): templates an operator changes without a deploy (every version
// kept), each channel's sender, reply-to and opt-outs, and the messages themselves — one per
// business event and recipient, fanned out from the outbox and sent with retries.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_templates', (t) => {
    t.text('kind').notNullable();
    t.text('language').notNullable();
    t.integer('version').notNullable();
    t.text('subject').notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    t.text('author').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['kind', 'language', 'version']);
  });
  await knex.schema.createTable('channel_message_settings', (t) => {
    t.text('channel').primary();
    t.text('from_address');
    t.text('reply_to');
    t.jsonb('opt_out').notNullable().defaultTo('[]');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('customer_messages', (t) => {
    t.text('message_id').primary();
    t.text('event_id').notNullable();
    t.bigInteger('event_sequence').notNullable();
    t.text('kind').notNullable();
    t.text('order_id').notNullable();
    t.text('channel').notNullable();
    t.text('recipient');
    t.text('language');
    t.integer('template_version');
    t.text('subject');
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('lease_until', { useTz: true });
    t.text('last_error');
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['order_id']);
    t.index(['status', 'next_attempt_at']);
  });
  await knex.raw(`ALTER TABLE customer_messages ADD CONSTRAINT customer_messages_status CHECK (status IN ('pending', 'sent', 'recorded', 'failed', 'skipped'))`);
  // How far the outbox has been read for messages (one row).
  await knex.schema.createTable('customer_message_cursor', (t) => {
    t.integer('id').primary();
    t.bigInteger('sequence').notNullable();
  });
  await knex('customer_message_cursor').insert({ id: 1, sequence: knex.raw('(SELECT coalesce(max(sequence), 0) FROM outbox_events)') });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['customer_message_cursor', 'customer_messages', 'channel_message_settings', 'message_templates']) await knex.schema.dropTable(table);
}

// The fulfillment side of orders: the fulfillments read model (work queues, tracking-number
// lookup), shipping labels, the built-in payment provider's ledger, the outbox of business
// events, flagged customers (a hold rule) and each location's fulfillment policy (SLA, window).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('locations', (t) => {
    t.jsonb('fulfillment_policy');
  });

  await knex.schema.createTable('fulfillments', (t) => {
    t.text('id').primary();
    t.text('order_id').notNullable();
    t.text('location_id').notNullable();
    t.text('method').notNullable();
    t.text('status').notNullable();
    t.text('tracking_number').unique();
    // Curbside customers waiting outside go to the top of the queue.
    t.timestamp('customer_arrived_at', { useTz: true });
    t.jsonb('snapshot').notNullable();
    t.integer('revision').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['location_id', 'status']);
    t.index(['order_id']);
  });

  await knex.schema.createTable('shipping_labels', (t) => {
    t.text('fulfillment_id').primary();
    t.text('tracking_number').notNullable().unique();
    t.text('carrier').notNullable();
    t.text('service').notNullable();
    t.bigInteger('rate_amount').notNullable();
    t.text('rate_currency').notNullable();
    t.jsonb('packages').notNullable();
    t.binary('pdf').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // The built-in payment provider: the channel authorized; Fulcrum captures, voids, refunds.
  await knex.schema.createTable('payment_authorizations', (t) => {
    t.text('authorization_id').primary();
    t.text('order_id').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('captured').notNullable().defaultTo(0);
    t.bigInteger('refunded').notNullable().defaultTo(0);
    t.bigInteger('voided').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check('captured + voided <= amount', [], 'payment_within_authorization');
    t.check('refunded <= captured', [], 'refund_within_capture');
  });
  await knex.schema.createTable('payment_transactions', (t) => {
    t.bigIncrements('id');
    t.text('authorization_id').notNullable().references('authorization_id').inTable('payment_authorizations');
    t.text('order_id').notNullable();
    t.text('kind').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.text('idempotency_key').notNullable().unique();
    t.text('reference');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['order_id']);
  });

  await knex.schema.createTable('outbox_events', (t) => {
    t.bigIncrements('sequence');
    t.text('event_id').notNullable().unique();
    t.text('type').notNullable();
    t.text('order_id');
    t.jsonb('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['order_id', 'sequence']);
    t.index(['type', 'sequence']);
  });

  await knex.schema.createTable('flagged_customers', (t) => {
    t.text('customer_id').primary();
    t.text('reason').notNullable();
    t.text('flagged_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['flagged_customers', 'outbox_events', 'payment_transactions', 'payment_authorizations', 'shipping_labels', 'fulfillments']) {
    await knex.schema.dropTable(table);
  }
  await knex.schema.alterTable('locations', (t) => {
    t.dropColumn('fulfillment_policy');
  });
}

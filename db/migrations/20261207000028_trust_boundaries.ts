// Trust boundaries (issue 28): carrier keys name their carrier; carrier events are kept to
// deduplicate and bound them per fulfillment; a payment authorization belongs to one order;
// wrong pickup codes are counted; a feed source's watermark can be reset by ops.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    // Null for a carrier key made before carriers were named: it posts nothing until an admin binds it.
    t.text('carrier');
  });
  await knex.raw(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_carrier_role CHECK (carrier IS NULL OR role = 'carrier')`);

  await knex.schema.createTable('carrier_events', (t) => {
    t.bigIncrements('id');
    t.text('fulfillment_id').notNullable();
    t.text('carrier').notNullable();
    t.text('status').notNullable();
    t.text('location');
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('api_key_id').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['fulfillment_id', 'received_at']);
  });

  await knex.schema.createTable('order_payment_authorizations', (t) => {
    // One order per authorization: a second order citing it is refused at intake.
    t.text('authorization_id').primary();
    t.text('channel').notNullable();
    t.text('order_id').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // Orders placed before: the first order to cite an authorization keeps it.
  await knex.raw(`
    INSERT INTO order_payment_authorizations (authorization_id, channel, order_id, created_at)
    SELECT DISTINCT ON (request->'payment'->>'authorizationId') request->'payment'->>'authorizationId', channel, id, created_at
      FROM orders WHERE request->'payment'->>'authorizationId' IS NOT NULL
     ORDER BY request->'payment'->>'authorizationId', created_at, id
    ON CONFLICT DO NOTHING`);

  await knex.schema.createTable('pickup_code_attempts', (t) => {
    t.bigIncrements('id');
    t.text('fulfillment_id').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['fulfillment_id', 'at']);
  });

  await knex.schema.alterTable('idempotency_requests', (t) => {
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_requests', (t) => {
    t.dropIndex(['created_at']);
  });
  await knex.schema.dropTable('pickup_code_attempts');
  await knex.schema.dropTable('order_payment_authorizations');
  await knex.schema.dropTable('carrier_events');
  await knex.raw('ALTER TABLE api_keys DROP CONSTRAINT api_keys_carrier_role');
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('carrier');
  });
}

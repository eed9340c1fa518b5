// Orders whose workflow met a failure retrying will not mend: ops list them with
// GET /v1/orders?needsAttention=true. Written apart from the snapshot, which may be what failed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.timestamp('needs_attention_since', { useTz: true });
    t.text('needs_attention_reason');
    t.text('needs_attention_activity');
  });
  await knex.raw('CREATE INDEX orders_needs_attention ON orders (created_at DESC, id DESC) WHERE needs_attention_since IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS orders_needs_attention');
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('needs_attention_since');
    t.dropColumn('needs_attention_reason');
    t.dropColumn('needs_attention_activity');
  });
}

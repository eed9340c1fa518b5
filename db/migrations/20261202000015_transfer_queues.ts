// A location's outbound and inbound transfers are its associates' queue (pickup by transfer
// puts order transfers there): read by location and status.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transfers', (t) => {
    t.index(['from_location_id', 'status', 'created_at'], 'transfers_outbound');
    t.index(['to_location_id', 'status', 'created_at'], 'transfers_inbound');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transfers', (t) => {
    t.dropIndex([], 'transfers_outbound');
    t.dropIndex([], 'transfers_inbound');
  });
}

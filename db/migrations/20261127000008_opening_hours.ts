// Opening hours of a location (local time): pickups are ready, and stores hand parcels to
// carriers, only while it is open.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('locations', (t) => {
    t.jsonb('opening_hours');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('locations', (t) => {
    t.dropColumn('opening_hours');
  });
}

// The reservation key becomes the primary key (it already was the unique business key) and
// the (location, sku, state) index goes: every index is paid for on the reserve hot path,
// and nothing reads reservations by location. Measured by bench/reservations.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.dropIndex(['location_id', 'sku', 'state']);
    t.dropUnique(['reservation_key']);
    t.dropPrimary();
    t.dropColumn('id');
  });
  await knex.schema.alterTable('reservations', (t) => {
    t.primary(['reservation_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.dropPrimary();
  });
  await knex.schema.alterTable('reservations', (t) => {
    t.bigIncrements('id');
    t.unique(['reservation_key']);
    t.index(['location_id', 'sku', 'state']);
  });
}

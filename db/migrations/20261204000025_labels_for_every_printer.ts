// Labels for every printer: a location's postal address (labels print the full ship-from
// address, as carriers require) and each label's ZPL beside its PDF.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('locations', (t) => {
    t.jsonb('address');
  });
  await knex.schema.alterTable('shipping_labels', (t) => {
    t.text('zpl');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('shipping_labels', (t) => {
    t.dropColumn('zpl');
  });
  await knex.schema.alterTable('locations', (t) => {
    t.dropColumn('address');
  });
}

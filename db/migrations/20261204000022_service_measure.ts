// A replenishment policy's service level is a fill rate unless it says it is a cycle service
// level: the measure a fulfillment team tracks is the share of demand served from the shelf.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('replenishment_policies', (t) => {
    t.text('service_measure').notNullable().defaultTo('fill_rate');
  });
  await knex.raw(`ALTER TABLE replenishment_policies ADD CONSTRAINT replenishment_policies_service_measure CHECK (service_measure IN ('fill_rate', 'cycle'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('replenishment_policies', (t) => {
    t.dropColumn('service_measure');
  });
}

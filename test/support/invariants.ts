// The inventory invariant check, as a test assertion.
import { expect } from 'vitest';
import { checkInventoryInvariants } from '../../db/inventory/invariants.ts';
import type { Db } from '../../db/knex.ts';

export async function expectInventoryConsistent(db: Db): Promise<void> {
  expect(await checkInventoryInvariants(db)).toEqual([]);
}

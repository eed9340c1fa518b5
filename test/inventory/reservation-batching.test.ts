// Concurrent single-line reservations share one statement (see reservation-batcher.ts);
// these check it hands out stock exactly, honours channel shares and never double-books a key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/knex.ts';
import { createInventoryRepository, type InventoryRepository } from '../../db/repositories/inventory.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { locationBody } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { createTestDatabase } from '../support/stack.ts';

let db: Db;
let inventory: InventoryRepository;

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  const network = createNetworkRepository(db);
  await network.upsertLocation('WH', locationBody(41.9, -87.6));
  inventory = createInventoryRepository(db);
  for (const [sku, onHand] of [['MIXED', 10], ['SHARE', 10], ['DUP', 5]] as const) {
    await network.upsertSku(sku, { name: sku, weightGrams: 1 });
    await inventory.setCount({ locationId: 'WH', sku, onHand, idempotencyKey: `seed-${sku}`, actor: 'test' });
  }
});
afterAll(async () => db?.destroy());

function reserve(orderId: string, sku: string, quantity: number, sharePercent?: number) {
  return inventory.reserveAtLocation({
    orderId,
    locationId: 'WH',
    attempt: 1,
    lines: [{ lineId: '1', sku, quantity }],
    ...(sharePercent !== undefined ? { sharePercent } : {}),
  });
}

describe('batched reservations', () => {
  it('hand out exactly the stock there is to concurrent requests of mixed sizes', async () => {
    const sizes = Array.from({ length: 40 }, (_, i) => (i % 3) + 1);
    const results = await Promise.all(sizes.map((q, i) => reserve(`mixed-${i}`, 'MIXED', q)));
    const reserved = results.reduce((sum, r, i) => sum + (r.ok ? sizes[i]! : 0), 0);
    const level = await inventory.getLevel('WH', 'MIXED');
    expect(level?.reserved).toBe(reserved);
    // Nothing that fitted was refused: what is left is smaller than every refused request.
    const refused = sizes.filter((_, i) => !results[i]!.ok);
    expect(level!.available).toBeLessThan(Math.min(...refused));
    expect(reserved).toBeLessThanOrEqual(10);
    await expectInventoryConsistent(db);
  });

  it("let a channel with a 50% share take at most half of what is available at each moment", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => reserve(`share-${i}`, 'SHARE', 1, 50)));
    // Each reservation needs 1 <= floor(available / 2): it stops once only 1 unit is available.
    expect(results.filter((r) => r.ok)).toHaveLength(9);
    expect((await inventory.getLevel('WH', 'SHARE'))?.available).toBe(1);
    await expectInventoryConsistent(db);
  });

  it('reserve a repeated key once, however many times it arrives at once', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => reserve('dup-order', 'DUP', 2)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await inventory.getLevel('WH', 'DUP'))?.reserved).toBe(2);
    expect(await inventory.reservationsOf('dup-order')).toHaveLength(1);
    await expectInventoryConsistent(db);
  });
});

// The inventory invariants, checked against the database as it is:
// - every count equals the sum of its ledger deltas, and the last ledger entry's "after" values;
// - reserved equals the sum of held reservations;
// - nothing is negative.
// Used by `npm run check:inventory` and after the tests that move stock.
import type { Db } from '../knex.ts';
import type { DbLevelRow } from './rows.ts';

export interface InvariantViolation {
  locationId: string;
  sku: string;
  problem: string;
}

export async function checkInventoryInvariants(db: Db): Promise<InvariantViolation[]> {
  const result = await db.raw<{
    rows: (Pick<DbLevelRow, 'location_id' | 'sku' | 'on_hand' | 'reserved' | 'safety_stock' | 'quarantined'> & {
      ledger_on_hand: number;
      ledger_reserved: number;
      ledger_safety_stock: number;
      ledger_quarantined: number;
      last_on_hand: number | null;
      last_reserved: number | null;
      last_safety_stock: number | null;
      last_quarantined: number | null;
      held: number;
    })[];
  }>(`
    WITH sums AS (
      SELECT location_id, sku,
             sum(on_hand_delta)::int AS ledger_on_hand, sum(reserved_delta)::int AS ledger_reserved,
             sum(safety_stock_delta)::int AS ledger_safety_stock, sum(quarantined_delta)::int AS ledger_quarantined,
             max(id) AS last_id
        FROM inventory_ledger GROUP BY location_id, sku
    ), held AS (
      SELECT location_id, sku, sum(quantity)::int AS held FROM reservations WHERE state = 'held' GROUP BY location_id, sku
    )
    SELECT l.location_id, l.sku, l.on_hand, l.reserved, l.safety_stock, l.quarantined,
           coalesce(s.ledger_on_hand, 0) AS ledger_on_hand, coalesce(s.ledger_reserved, 0) AS ledger_reserved,
           coalesce(s.ledger_safety_stock, 0) AS ledger_safety_stock, coalesce(s.ledger_quarantined, 0) AS ledger_quarantined,
           e.on_hand_after AS last_on_hand, e.reserved_after AS last_reserved,
           e.safety_stock_after AS last_safety_stock, e.quarantined_after AS last_quarantined,
           coalesce(h.held, 0) AS held
      FROM inventory_levels l
      LEFT JOIN sums s ON s.location_id = l.location_id AND s.sku = l.sku
      LEFT JOIN inventory_ledger e ON e.id = s.last_id
      LEFT JOIN held h ON h.location_id = l.location_id AND h.sku = l.sku
  `);
  const violations: InvariantViolation[] = [];
  for (const row of result.rows) {
    const report = (problem: string) => violations.push({ locationId: row.location_id, sku: row.sku, problem });
    const fields = [
      ['onHand', row.on_hand, row.ledger_on_hand, row.last_on_hand],
      ['reserved', row.reserved, row.ledger_reserved, row.last_reserved],
      ['safetyStock', row.safety_stock, row.ledger_safety_stock, row.last_safety_stock],
      ['quarantined', row.quarantined, row.ledger_quarantined, row.last_quarantined],
    ] as const;
    for (const [name, value, ledgerSum, lastAfter] of fields) {
      if (value < 0) report(`${name} is negative (${value})`);
      if (value !== ledgerSum) report(`${name} ${value} differs from its ledger sum ${ledgerSum}`);
      if (lastAfter !== null && value !== lastAfter) report(`${name} ${value} differs from the last ledger entry's ${lastAfter}`);
    }
    if (row.reserved !== row.held) report(`reserved ${row.reserved} differs from held reservations ${row.held}`);
  }
  // Held reservations at a (location, SKU) without a level row would escape the join above.
  const orphans = await db('reservations as r')
    .leftJoin('inventory_levels as l', function joinLevel() {
      this.on('l.location_id', 'r.location_id').andOn('l.sku', 'r.sku');
    })
    .whereNull('l.location_id')
    .where('r.state', 'held')
    .select('r.location_id', 'r.sku');
  for (const o of orphans as { location_id: string; sku: string }[]) {
    violations.push({ locationId: o.location_id, sku: o.sku, problem: 'held reservation without a stock level' });
  }
  return violations;
}

// The smaller twin of `npm run chaos`: orders from several clients while the worker is killed
// twice, Temporal restarted and Postgres restarted (its own servers, not the suite's), and
// then no loss and no duplicate anywhere.
import { describe, expect, it } from 'vitest';
import { formatChaosReport, runChaos } from '../../scripts/lib/chaos.ts';

describe('crashes and restarts', () => {
  it('lose no order and do no side effect twice', async () => {
    const orders = 40;
    const report = await runChaos({
      orders,
      clients: 4,
      faults: [
        { at: 0.15, what: 'kill-worker' },
        { at: 0.35, what: 'restart-temporal' },
        { at: 0.55, what: 'restart-postgres' },
        { at: 0.75, what: 'kill-worker' },
      ],
    });
    console.log(formatChaosReport(report));
    expect(report.faults).toHaveLength(4);
    expect(report).toMatchObject({
      ordersPlaced: orders,
      ordersWithoutWorkflow: 0,
      ordersNotInExpectedState: 0,
      duplicateReservations: 0,
      duplicateLedgerRows: 0,
      duplicateCaptures: 0,
      duplicateRefunds: 0,
      duplicateLabels: 0,
      leakedReservations: 0,
      invariantViolations: 0,
    });
  }, 600_000);
});

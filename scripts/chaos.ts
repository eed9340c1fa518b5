// `npm run chaos [-- --orders 1000 --clients 16]`: places orders from many clients while the
// worker is killed (SIGKILL) twice, the Temporal dev server is restarted once and Postgres is
// restarted once, then prints every count that would show a loss or a duplicate. Exits 1
// unless all of them are zero. Runs on its own Postgres and Temporal (nothing else needed).
// `--keep-histories <dir>` saves the histories of orders that did not end as scripted.
import { formatChaosReport, runChaos } from './lib/chaos.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const keepAt = process.argv.indexOf('--keep-histories');
const keep = keepAt > 0 ? process.argv[keepAt + 1] : undefined;

const orders = option('orders', 1000);
const clients = option('clients', 16);
console.log(`chaos: ${orders} orders from ${clients} clients; worker killed twice, Temporal and Postgres restarted once`);
const report = await runChaos({
  orders,
  clients,
  faults: [
    { at: 0.15, what: 'kill-worker' },
    { at: 0.35, what: 'restart-temporal' },
    { at: 0.55, what: 'restart-postgres' },
    { at: 0.75, what: 'kill-worker' },
  ],
  log: (line) => console.log(`chaos: ${line}`),
  ...(keep ? { keepHistoriesOfMismatches: keep } : {}),
});
console.log(formatChaosReport(report));
const bad =
  report.ordersWithoutWorkflow + report.ordersNotInExpectedState + report.duplicateReservations + report.duplicateLedgerRows + report.duplicateCaptures +
  report.duplicateRefunds + report.duplicateLabels + report.leakedReservations + report.invariantViolations;
process.exit(bad === 0 && report.ordersPlaced === orders ? 0 : 1);

// Forecasts over HTTP: fitted on imported history (stock-out days filled, not read as zero),
// per location, across the network and per channel; stored and served from the store;
// recomputed on demand and by the nightly planning run the `nightly-planning` Schedule starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANNING_SCHEDULE_ID, scheduleDefinitions } from '../../workers/schedules.ts';
import { locationBody, seedNetwork } from '../support/fixtures.ts';
import { recordHistories } from '../support/record-history.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const today = daysAgo(0);
const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
/** Busy weekends, quiet Mondays: demand by weekday (Sunday first). */
const WEEKLY = [30, 8, 10, 12, 14, 20, 40];
const HISTORY = 140;

async function importDays(items: { sku: string; locationId: string; channel?: string; date: string; quantity: number; stockout?: boolean }[]) {
  const res = await ops.post('/v1/demand-history', { items });
  expect(res.status).toBe(200);
}

const history = (sku: string, locationId: string, quantityOf: (day: string, age: number) => number, extra: { channel?: string; stockoutWithin?: number } = {}) =>
  Array.from({ length: HISTORY }, (_, i) => {
    const age = HISTORY - i;
    const date = daysAgo(age);
    const stockout = extra.stockoutWithin !== undefined && age <= extra.stockoutWithin;
    return { sku, locationId, date, quantity: stockout ? 0 : quantityOf(date, age), ...(extra.channel ? { channel: extra.channel } : {}), ...(stockout ? { stockout } : {}) };
  });

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  await seedNetwork(ops, {
    locations: { 'WH-F1': locationBody(41.88, -87.64, { timezone: 'UTC' }), 'WH-F2': locationBody(40.71, -74.0, { timezone: 'UTC' }) },
    skus: ['FC-1', 'FC-2', 'FC-3', 'FC-4'],
    stock: [],
  });
  // FC-1: weekly seasonality at WH-F1 (with a little deterministic noise), a flat 5 a day at WH-F2.
  await importDays([...history('FC-1', 'WH-F1', (d, age) => WEEKLY[weekdayOf(d)]! + ((age * 7) % 3) - 1), ...history('FC-1', 'WH-F2', () => 5)]);
  // FC-2 and FC-4 sell 10 a day; FC-2's last ten days were out of stock (and so marked), FC-4's were real zeros.
  await importDays([...history('FC-2', 'WH-F1', () => 10, { stockoutWithin: 10 }), ...history('FC-4', 'WH-F1', (_d, age) => (age <= 10 ? 0 : 10))]);
  // FC-3: 6 a day on the web, 2 in store.
  await importDays([...history('FC-3', 'WH-F1', () => 6, { channel: 'web' }), ...history('FC-3', 'WH-F1', () => 2, { channel: 'store' })]);
});
afterAll(async () => stack?.close());

const forecast = async (query: string) => {
  const res = await ops.get(`/v1/forecasts?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const meanOf = (daily: { mean: number }[]) => daily.reduce((s, d) => s + d.mean, 0) / daily.length;

describe('forecasts', () => {
  it('forecasts weekly seasonality by weekday, from today (the history runs to yesterday), with a band and its backtest', async () => {
    const f = await forecast('sku=FC-1&locationId=WH-F1&horizon=14');
    expect(f).toMatchObject({ sku: 'FC-1', locationId: 'WH-F1', channel: null, historyThrough: daysAgo(1), historyFrom: daysAgo(HISTORY), stockoutDays: 0 });
    expect(['ets_weekly', 'seasonal_naive']).toContain(f.method);
    expect(f.daily).toHaveLength(14);
    expect(f.daily[0].date).toBe(today);
    for (const d of f.daily) {
      expect(Math.abs(d.mean - WEEKLY[weekdayOf(d.date)]!)).toBeLessThan(2.5);
      expect(d.p10).toBeLessThanOrEqual(d.mean);
      expect(d.p90).toBeGreaterThanOrEqual(d.mean);
    }
    expect(f.backtest).toMatchObject({ origins: 3, baseline: 'seasonal_naive' });
    expect(f.backtest.rmsse).toBeLessThanOrEqual(f.backtest.baselineRmsse);
  });

  it('reads stock-out days as unknown demand, not as zero', async () => {
    const out = await forecast('sku=FC-2&locationId=WH-F1');
    const zeros = await forecast('sku=FC-4&locationId=WH-F1');
    expect(out.stockoutDays).toBe(10);
    expect(meanOf(out.daily)).toBeCloseTo(10, 0);
    expect(meanOf(zeros.daily)).toBeLessThan(5);
  });

  it('sums the network and splits by channel', async () => {
    const network = await forecast('sku=FC-1&horizon=28');
    expect(network.locationId).toBeNull();
    expect(meanOf(network.daily)).toBeCloseTo(meanOf(WEEKLY.map((mean) => ({ mean }))) + 5, 0);
    expect(meanOf((await forecast('sku=FC-3&locationId=WH-F1&channel=web')).daily)).toBeCloseTo(6, 1);
    expect(meanOf((await forecast('sku=FC-3&locationId=WH-F1&channel=store')).daily)).toBeCloseTo(2, 1);
    expect(meanOf((await forecast('sku=FC-3&locationId=WH-F1')).daily)).toBeCloseTo(8, 1);
  });

  it('serves the stored forecast until it is recomputed', async () => {
    const first = await forecast('sku=FC-3&locationId=WH-F2');
    expect(first).toMatchObject({ historyFrom: null, method: 'croston_sba' });
    expect(meanOf(first.daily)).toBe(0);
    await importDays(history('FC-3', 'WH-F2', () => 3));
    expect((await forecast('sku=FC-3&locationId=WH-F2')).computedAt).toBe(first.computedAt);
    const recomputed = await ops.post('/v1/forecasts/recompute', { sku: 'FC-3', locationId: 'WH-F2' });
    expect(recomputed.status).toBe(200);
    expect(recomputed.body.daily).toHaveLength(56);
    expect(meanOf(recomputed.body.daily)).toBeCloseTo(3, 1);
    expect((await forecast('sku=FC-3&locationId=WH-F2')).computedAt).toBe(recomputed.body.computedAt);
  });

  it('refuses bad queries naming the field', async () => {
    const bad = await ops.get('/v1/forecasts?sku=NOPE&locationId=NOWHERE&horizon=57');
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.horizon']);
    const unknown = await ops.get('/v1/forecasts?sku=NOPE&locationId=NOWHERE');
    expect(unknown.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.locationId', 'query.sku']);
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    expect((await web.get('/v1/forecasts?sku=FC-1')).status).toBe(403);
    expect((await ops.post('/v1/forecasts/recompute', { sku: 'FC-1', extra: 1 })).status).toBe(422);
  });

  it('recomputes every forecast in a planning run: each location, each network total, each channel asked for', async () => {
    const before = await forecast('sku=FC-3&locationId=WH-F1&channel=web');
    const started = await ops.post('/v1/planning/runs', {});
    expect(started.status).toBe(202);
    const again = await ops.post('/v1/planning/runs', {});
    expect(again.body.runId).toBe(started.body.runId);
    const result = await stack.api.deps.temporal.workflow.getHandle(started.body.workflowId).result();
    await recordHistories(stack, { 'planning-forecasts': started.body.workflowId });
    // FC-1 (2 locations + network), FC-2, FC-3 (2 locations), FC-4 (+ their networks) = 10, and 2 per-channel forecasts.
    expect(result).toMatchObject({ forecastsComputed: 12 });
    expect((await forecast('sku=FC-3&locationId=WH-F1&channel=web')).computedAt > before.computedAt).toBe(true);
    expect(meanOf((await forecast('sku=FC-3')).daily)).toBeCloseTo(11, 0);
  });

  it('has a nightly schedule, which starts the same run', async () => {
    // The worker's definition, under an id of this test's own: test files share one Temporal server.
    const definition = scheduleDefinitions().find((s) => s.scheduleId === PLANNING_SCHEDULE_ID)!;
    const schedule = await stack.api.deps.temporal.schedule.create({
      scheduleId: `${PLANNING_SCHEDULE_ID}-${stack.taskQueue}`,
      spec: definition.spec,
      action: { type: 'startWorkflow', workflowType: definition.workflowType, taskQueue: stack.taskQueue, args: definition.args },
    });
    try {
      const described = await schedule.describe();
      expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'planningWorkflow' });
      await schedule.trigger();
      const runs = async () => (await schedule.describe()).info.recentActions;
      let recent = await runs();
      for (let i = 0; i < 50 && recent.length === 0; i++) recent = (await new Promise((r) => setTimeout(r, 200)), await runs());
      const run = recent[0]!.action.workflow;
      expect(await stack.api.deps.temporal.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result()).toMatchObject({ forecastsComputed: 12 });
    } finally {
      await schedule.delete();
    }
  });
});

// The fault schedule of `npm run chaos:network`: each fault in turn on the proxy in front of
// Postgres or Temporal, with a calm spell after each so recovery shows in the numbers.
import type { Toxiproxy } from '../toxiproxy.ts';
import { sleep } from '../wait.ts';

export type FaultKind = 'pg-latency' | 'pg-reset' | 'pg-down' | 'temporal-latency' | 'temporal-down' | 'pg-drop';

export const FAULT_KINDS: FaultKind[] = ['pg-latency', 'pg-reset', 'pg-down', 'temporal-latency', 'temporal-down', 'pg-drop'];

/** What each fault does, in the report's words. */
export const FAULT_TEXT: Record<FaultKind, string> = {
  'pg-latency': 'Postgres answers 800 ± 400 ms late',
  'pg-reset': 'Postgres connections reset',
  'pg-down': 'Postgres down (refused)',
  'temporal-latency': 'Temporal answers 1.5 s late',
  'temporal-down': 'Temporal down (refused)',
  'pg-drop': 'Postgres silently drops every byte',
};

export interface Window {
  name: FaultKind | 'calm';
  cycle: number;
  start: number;
  end: number;
}

export interface Schedule {
  cycles: number;
  /** Seconds each fault lasts. */
  seconds: Record<FaultKind, number>;
  /** Seconds of calm before the first fault and after each. */
  calmSeconds: number;
}

export const FULL_SCHEDULE: Schedule = {
  cycles: 2,
  seconds: { 'pg-latency': 20, 'pg-reset': 5, 'pg-down': 15, 'temporal-latency': 20, 'temporal-down': 15, 'pg-drop': 10 },
  calmSeconds: 15,
};

/** The version `.ci/run` runs: every fault once, shorter. */
export const SHORT_SCHEDULE: Schedule = {
  cycles: 1,
  seconds: { 'pg-latency': 8, 'pg-reset': 3, 'pg-down': 10, 'temporal-latency': 8, 'temporal-down': 10, 'pg-drop': 6 },
  calmSeconds: 10,
};

export function scheduleSeconds(schedule: Schedule): number {
  const cycle = FAULT_KINDS.reduce((sum, kind) => sum + schedule.seconds[kind] + schedule.calmSeconds, 0);
  return schedule.calmSeconds + schedule.cycles * cycle;
}

async function inject(toxiproxy: Toxiproxy, kind: FaultKind): Promise<void> {
  if (kind === 'pg-latency') await toxiproxy.addToxic('postgres', 'latency', { type: 'latency', attributes: { latency: 800, jitter: 400 } }, ['downstream']);
  if (kind === 'pg-reset') await toxiproxy.addToxic('postgres', 'reset', { type: 'reset_peer', attributes: { timeout: 0 } });
  if (kind === 'pg-down') await toxiproxy.enable('postgres', false);
  if (kind === 'temporal-latency') await toxiproxy.addToxic('temporal', 'latency', { type: 'latency', attributes: { latency: 1500, jitter: 0 } }, ['downstream']);
  if (kind === 'temporal-down') await toxiproxy.enable('temporal', false);
  if (kind === 'pg-drop') await toxiproxy.addToxic('postgres', 'drop', { type: 'timeout', attributes: { timeout: 0 } });
}

async function mend(toxiproxy: Toxiproxy, kind: FaultKind): Promise<void> {
  if (kind === 'pg-down') await toxiproxy.enable('postgres', true);
  else if (kind === 'temporal-down') await toxiproxy.enable('temporal', true);
  else await toxiproxy.removeToxics(kind.startsWith('pg') ? 'postgres' : 'temporal');
}

/** Runs the schedule from `t0`; answers the windows as they happened (calm ones included). */
export async function runSchedule(toxiproxy: Toxiproxy, schedule: Schedule, t0: number, log: (line: string) => void): Promise<Window[]> {
  const windows: Window[] = [];
  const calm = async (cycle: number) => {
    const start = Date.now();
    await sleep(schedule.calmSeconds * 1000);
    windows.push({ name: 'calm', cycle, start, end: Date.now() });
  };
  await calm(0);
  for (let cycle = 1; cycle <= schedule.cycles; cycle++) {
    for (const kind of FAULT_KINDS) {
      const start = Date.now();
      log(`${((start - t0) / 1000).toFixed(0)} s: ${FAULT_TEXT[kind]} for ${schedule.seconds[kind]} s (cycle ${cycle})`);
      await inject(toxiproxy, kind);
      await sleep(schedule.seconds[kind] * 1000);
      await mend(toxiproxy, kind);
      windows.push({ name: kind, cycle, start, end: Date.now() });
      await calm(cycle);
    }
  }
  return windows;
}

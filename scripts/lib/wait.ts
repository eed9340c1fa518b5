// Waiting, for the scripts and benches that start servers and drive many requests.
import type { ChildProcess } from 'node:child_process';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `ready` (an error counts as "not yet") until it says true. Fails after `ms`, or at once
 * when `process` — the server being waited for — has exited.
 */
export async function waitFor(what: string, ready: () => Promise<boolean>, options: { ms: number; everyMs?: number; process?: ChildProcess }): Promise<void> {
  const deadline = Date.now() + options.ms;
  for (;;) {
    if (await ready().catch(() => false)) return;
    if (options.process && options.process.exitCode !== null) throw new Error(`${what} exited (${options.process.exitCode}) before it came up`);
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${options.ms / 1000} s`);
    await sleep(options.everyMs ?? 250);
  }
}

/** `work(i)` for i = 0 … count − 1, at most `concurrency` at once, in order of i. */
export async function eachConcurrently(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

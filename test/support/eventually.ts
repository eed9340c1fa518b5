// Polls until an asynchronous outcome shows (a workflow's signal, a read model written by an
// activity), with a deadline instead of a sleep. The default deadline is one fit for what crosses
// Temporal on a loaded 2-core machine (Postgres, Temporal, worker and API share it with the tests).
export const TEMPORAL_WAIT_MS = 30_000;

export async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, what = 'condition', timeoutMs = TEMPORAL_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!until(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

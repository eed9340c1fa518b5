// How a workflow tells a failure that retrying cannot mend (the activity interceptor in
// activities/unmendable-failures.ts marks them) from one that ends its story, and what ops see.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** The same string as activities/unmendable-failures.ts (workflows may not import activities). */
const UNMENDABLE_FAILURE = 'UnmendableFailure';

export interface NeedsAttention {
  reason: string;
  activity: string;
  since: string;
}

/** The activity and reason of an unmendable failure, or undefined for any other error. */
export function unmendable(err: unknown): { activity: string; reason: string } | undefined {
  // An activity's failure comes wrapped in an ActivityFailure; a local activity's may come bare.
  const failure = err instanceof ActivityFailure ? err.cause : err;
  if (!(failure instanceof ApplicationFailure) || failure.type !== UNMENDABLE_FAILURE) return undefined;
  const named = (failure.details?.[0] as { activity?: unknown } | undefined)?.activity;
  const activity = err instanceof ActivityFailure && err.activityType ? err.activityType : typeof named === 'string' ? named : 'unknown';
  return { activity, reason: failure.message };
}

/**
 * Runs one activity call; an unmendable failure is handed to `onUnmendable` (which records it
 * for ops) and `fallback` is the result, so the workflow goes on with what it can. Every other
 * failure is thrown as before.
 */
export async function orAttention<T>(call: () => Promise<T>, onUnmendable: (failure: { activity: string; reason: string }) => Promise<void> | void, fallback: T): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const failure = unmendable(err);
    if (!failure) throw err;
    await onUnmendable(failure);
    return fallback;
  }
}

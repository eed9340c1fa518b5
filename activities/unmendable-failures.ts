// Failures that retrying cannot mend — Postgres refusing the data itself (SQLSTATE class 22,
// "data exception", e.g. NUL in jsonb) or a violated constraint (class 23) — are turned into
// non-retryable Temporal failures for every activity, so no workflow retries one forever in
// silence: the workflow records it (`order.needs_attention`) and goes on with what it can.
// Outages (a connection refused, the server restarting, a deadlock) are left to retry.
import { ApplicationFailure, type Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';

/** The failure type workflows look for (workflows/needs-attention.ts names the same string). */
export const UNMENDABLE_FAILURE = 'UnmendableFailure';

const UNMENDABLE_SQLSTATE_CLASSES: Record<string, string> = {
  '22': 'the database refused the data',
  '23': 'a database constraint was violated',
};

/** The reason a failure will not go away by retrying, or undefined for one that may. */
export function unmendableReason(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const kind = UNMENDABLE_SQLSTATE_CLASSES[code.slice(0, 2)];
  return kind ? `${kind} (SQLSTATE ${code}): ${(err as Error).message}` : undefined;
}

export class UnmendableFailureInterceptor implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Context) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      const reason = unmendableReason(err);
      if (!reason) throw err;
      const activity = this.ctx.info.activityType;
      this.ctx.log.error('activity failed in a way retrying cannot mend', { activity, reason });
      // Not the driver's error as the cause: its detail quotes the refused row (customer data).
      throw ApplicationFailure.create({ type: UNMENDABLE_FAILURE, message: reason.slice(0, 1000), nonRetryable: true, details: [{ activity }] });
    }
  }
}

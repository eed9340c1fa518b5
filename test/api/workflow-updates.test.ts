// How a workflow Update's failure reaches the caller: refusals as 409/422, Temporal shedding
// load as a 503 to retry - never a 500.
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../api/problem.ts';
import { withUpdateProblems } from '../../api/workflow-updates.ts';

async function problemOf(err: unknown): Promise<ProblemError> {
  try {
    await withUpdateProblems(async () => {
      throw err;
    });
  } catch (caught) {
    if (caught instanceof ProblemError) return caught;
    throw caught;
  }
  throw new Error('no problem raised');
}

describe('Update failures', () => {
  it('answer 503 with Retry-After when Temporal sheds load or the call times out', async () => {
    for (const err of [
      new ServiceError('too many', { cause: Object.assign(new Error('8 RESOURCE_EXHAUSTED: limit on number of concurrent in-flight updates has been reached'), { code: 8 }) }),
      new ServiceError('unavailable', { cause: Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }) }),
      new WorkflowUpdateRPCTimeoutOrCancelledError('Workflow update call timeout or cancelled'),
    ]) {
      const problem = await problemOf(err);
      expect(problem.problem.status).toBe(503);
      expect(problem.headers['Retry-After']).toBe('1');
    }
  });

  it('leave any other failure to the 500 it is', async () => {
    const other = new ServiceError('bad', { cause: Object.assign(new Error('3 INVALID_ARGUMENT'), { code: 3 }) });
    await expect(withUpdateProblems(async () => Promise.reject(other))).rejects.toBe(other);
  });
});

// Runs a workflow Update for an HTTP call and maps the workflow's refusal to a problem:
// a validator's InvalidState is 409, its ValidationError 422.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ProblemError, validationProblem, type FieldError } from './problem.ts';
import { INVALID_STATE, VALIDATION_ERROR } from '../workflows/update-refusals.ts';

export async function withUpdateProblems<Ret>(runUpdate: () => Promise<Ret>): Promise<Ret> {
  try {
    return await runUpdate();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ProblemError(409, 'The workflow behind this resource has already finished.');
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      if (cause.type === INVALID_STATE) throw new ProblemError(409, cause.message);
      if (cause.type === VALIDATION_ERROR) {
        const listed = cause.details?.[0];
        if (Array.isArray(listed) && listed.length > 0) throw validationProblem(listed as FieldError[]);
        const [path, ...rest] = cause.message.split(': ');
        throw validationProblem([{ path: path ?? '(body)', message: rest.join(': ') || cause.message }]);
      }
    }
    throw err;
  }
}

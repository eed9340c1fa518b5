// Runs a workflow Update for an HTTP call and maps the workflow's refusal to a problem:
// a validator's InvalidState is 409, its ValidationError 422.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type UpdateDefinition } from '@temporalio/client';
import { isTemporalUnavailable } from '../services/outages.ts';
import type { Principal } from '../domain/access/roles.ts';
import type { Actor } from '../domain/access/actor.ts';
import { ApplicationFailure } from '@temporalio/common';
import { ProblemError, validationProblem, type FieldError } from './problem.ts';
import { DEPENDENCY_UNAVAILABLE, INVALID_STATE, VALIDATION_ERROR } from '../workflows/update-refusals.ts';

export async function withUpdateProblems<Ret>(runUpdate: () => Promise<Ret>, hasClosed: () => Promise<boolean> = async () => false): Promise<Ret> {
  try {
    return await runUpdate();
  } catch (err) {
    const finished = () => new ProblemError(409, 'The workflow behind this resource has already finished.');
    if (err instanceof WorkflowNotFoundError) throw finished();
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      if (cause.type === INVALID_STATE) throw new ProblemError(409, cause.message);
      if (cause.type === DEPENDENCY_UNAVAILABLE) throw new ProblemError(503, cause.message, {}, { 'Retry-After': '60' });
      if (cause.type === VALIDATION_ERROR) {
        const listed = cause.details?.[0];
        if (Array.isArray(listed) && listed.length > 0) throw validationProblem(listed as FieldError[]);
        const [path, ...rest] = cause.message.split(': ');
        throw validationProblem([{ path: path ?? '(body)', message: rest.join(': ') || cause.message }]);
      }
    }
    // The workflow completed between the request and the Update (the server then fails it).
    if (err instanceof WorkflowUpdateFailedError && (await hasClosed())) throw finished();
    // Temporal shedding load (too many Updates at once, a call that timed out, the frontend
    // unavailable) is a moment to retry, not a server fault.
    if (isTemporalUnavailable(err)) {
      throw new ProblemError(503, 'The order is busy with other changes; try again in a moment.', {}, { 'Retry-After': '1' });
    }
    throw err;
  }
}

/** Who did it, as recorded in the workflow's events: the key's role and name. */
export function actorOf(principal: Principal): Actor {
  return { by: `${principal.role}:${principal.name}` };
}

/**
 * Runs an action Update (same name and body as the HTTP call) with the caller as its second
 * argument, mapping refusals to problems.
 */
export function runAction<Ret>(
  temporal: Client,
  workflowId: string,
  // Action Updates take (body, actor?); the body's own type was checked by the route's schema.
  update: UpdateDefinition<Ret, never>,
  body: unknown,
  principal: Principal,
): Promise<Ret> {
  const handle = temporal.workflow.getHandle(workflowId);
  const withActor = update as unknown as UpdateDefinition<Ret, [unknown, Actor]>;
  const hasClosed = () => handle.describe().then((d) => d.status.name !== 'RUNNING', () => false);
  return withUpdateProblems(() => handle.executeUpdate(withActor, { args: [body, actorOf(principal)] }), hasClosed);
}

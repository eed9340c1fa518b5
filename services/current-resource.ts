// The one reader of "the resource as it stands now" for orders, fulfillments, returns and
// transfers: the workflow's query while it runs, else the read model (after it closed, or
// while no worker answers). A workflow the API has just started (a fulfillment named by a
// `?wait=routed` answer) may not have run its first task yet; that is waited out briefly, so
// every id the API has shown can be acted on at once.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';

/** The workflow runs but has not answered yet (the API answers 503 with Retry-After). */
export class WorkflowNotAnswering extends Error {
  constructor() {
    super('The workflow behind this resource is not answering yet; try again shortly.');
    this.name = 'WorkflowNotAnswering';
  }
}

/** How long a just-started workflow may take to answer its first query before the read model is used. */
const FIRST_ANSWER_WAIT_MS = 3_000;

export async function currentResource<T>(
  temporal: Client,
  workflowId: string,
  query: QueryDefinition<T, []>,
  readModel: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const handle = temporal.workflow.getHandle(workflowId);
  const deadline = Date.now() + FIRST_ANSWER_WAIT_MS;
  let stored: Promise<T | undefined> | undefined;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    try {
      return await handle.query(query);
    } catch (err) {
      // Never started, or closed and gone past retention: only the read model can tell.
      if (err instanceof WorkflowNotFoundError) return readModel();
      stored ??= readModel();
      const copy = await stored;
      // Closed (or no worker answering) with a copy in the read model: that copy is the answer.
      if (copy !== undefined) return copy;
      // Started a moment ago and not answering yet: ask again, briefly.
      if (Date.now() + delay > deadline) throw new WorkflowNotAnswering();
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

// The promise hold's workflow: its type and id (the id names the reservations' owner, so the
// reservation reconciliation knows the hold is alive while it runs).
export const PROMISE_HOLD_WORKFLOW_TYPE = 'promiseHoldWorkflow';

export const promiseHoldWorkflowId = (promiseId: string) => `promise-${promiseId}`;

export interface PromiseHoldInput {
  promiseId: string;
  /** When the hold ends (ISO time). */
  expiresAt: string;
}

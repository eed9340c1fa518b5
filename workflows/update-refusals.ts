// How workflow Update validators refuse: one failure type per kind of refusal, which the
// HTTP API maps to problems (InvalidState → 409, ValidationError → 422 "field: message").
import { ApplicationFailure } from '@temporalio/workflow';

export const INVALID_STATE = 'InvalidState';
export const VALIDATION_ERROR = 'ValidationError';

export function refuse(type: typeof INVALID_STATE | typeof VALIDATION_ERROR, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

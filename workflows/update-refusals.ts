// How workflow Update validators refuse: one failure type per kind of refusal, which the
// HTTP API maps to problems (InvalidState → 409, ValidationError → 422 "field: message",
// DependencyUnavailable → 503 with Retry-After).
import { ApplicationFailure } from '@temporalio/workflow';
import type { FieldError } from '../domain/errors.ts';

export const INVALID_STATE = 'InvalidState';
export const VALIDATION_ERROR = 'ValidationError';
/** An outside system the action needs (the carrier gateway) is not answering: 503, try again later. */
export const DEPENDENCY_UNAVAILABLE = 'DependencyUnavailable';

export function refuse(type: typeof INVALID_STATE | typeof VALIDATION_ERROR | typeof DEPENDENCY_UNAVAILABLE, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** A validation refusal naming every bad field (the HTTP problem lists them all). */
export function refuseFields(errors: readonly FieldError[]): never {
  const first = errors[0]!;
  throw ApplicationFailure.create({ type: VALIDATION_ERROR, message: `${first.path}: ${first.message}`, details: [errors], nonRetryable: true });
}

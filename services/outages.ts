// Which failures mean a dependency (Postgres, Temporal) is not answering, rather than a bug:
// the API answers them 503 with Retry-After, so a channel can tell "try again in a moment"
// from "this request is wrong" (4xx) and "Fulcrum has a bug" (500).
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

/** Node's socket errors: refused, reset, timed out, broken, unreachable. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/** gRPC DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE. */
const TRANSIENT_GRPC_CODES = new Set([4, 8, 10, 14]);

/**
 * Postgres SQLSTATEs of an unreachable or unwilling server: class 08 (connection exception),
 * 57P01-57P03 (shut down, crashed, not yet accepting), 53300 (too many connections),
 * 40001/40P01 are not here (serialization and deadlocks are retried where they occur).
 */
function isPostgresUnavailable(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** The driver's own words for a connection that ended or never came (pg and Knex give no code for them). */
const OUTAGE_MESSAGES = [/Connection terminated/i, /Knex: Timeout acquiring a connection/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /connection is closed/i, /Query read timeout/i];

/** Temporal shedding load or not answering: an Update's call that timed out, or a transient gRPC status. */
export function isTemporalUnavailable(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (!(err instanceof ServiceError)) return false;
  const grpc = (err.cause as { code?: number } | undefined)?.code;
  return grpc !== undefined && TRANSIENT_GRPC_CODES.has(grpc);
}

export function isDependencyOutage(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  if (isTemporalUnavailable(err)) return true;
  const { code, message, cause, errors } = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isPostgresUnavailable(code)))) return true;
  if (typeof message === 'string' && OUTAGE_MESSAGES.some((m) => m.test(message))) return true;
  // AggregateError (a refused connection to each address), and errors wrapping their cause.
  if (Array.isArray(errors) && errors.some((e) => isDependencyOutage(e, depth + 1))) return true;
  return isDependencyOutage(cause, depth + 1);
}

// RFC 9457 problem documents: the only shape an error leaves the API in.
import { formatPath, zodFieldErrors, type FieldError } from '../domain/errors.ts';

export { formatPath, zodFieldErrors, type FieldError };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Payload too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['validation-error', 'Validation failed'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal-error', 'Internal server error'],
  503: ['unavailable', 'Service unavailable'],
};

/** Thrown by routes and middleware; the error middleware turns it into a problem response. */
export class ProblemError extends Error {
  readonly problem: Problem;
  readonly headers: Record<string, string>;

  constructor(status: number, detail?: string, extra: Partial<Problem> = {}, headers: Record<string, string> = {}) {
    const [slug, title] = TITLES[status] ?? ['error', 'Error'];
    super(detail ?? title);
    this.problem = {
      type: `urn:fulcrum:problem:${slug}`,
      title,
      status,
      ...(detail ? { detail } : {}),
      ...extra,
    };
    this.headers = headers;
  }
}

export function validationProblem(errors: FieldError[], detail = 'The request has invalid fields.'): ProblemError {
  return new ProblemError(422, detail, { errors });
}

/** `lines[0].unitPrice.amount`: how a field is named in every problem. */
/** Adds the issues of cross-field rules that zod skipped, one per field not already named. */
export function addCrossFieldErrors(errors: FieldError[], issues: { path: (string | number)[]; message: string }[]): FieldError[] {
  const merged = [...errors];
  for (const issue of issues) {
    const path = formatPath(undefined, issue.path);
    if (!merged.some((e) => e.path === path)) merged.push({ path, message: issue.message });
  }
  return merged;
}

// A problem with one field of a request, named by its path (`lines[0].sku`): the shape
// validation errors take from the domain through workflows to the HTTP problem document.
import type { z } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

export function formatPath(prefix: string | undefined, path: readonly PropertyKey[]): string {
  let out = prefix ?? '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || '(body)';
}

export function zodFieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { path: formatPath(prefix, [...issue.path, issue.keys.join(', ')]), message: 'is not a known field' };
    }
    return { path: formatPath(prefix, issue.path), message: issue.message };
  });
}


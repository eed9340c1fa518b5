// Calls to Fulcrum's API with the channel key. Transient failures (a network error, a timeout,
// 429 or 5xx) are retried here a few times with backoff, honouring Retry-After; a change is
// always sent with an Idempotency-Key, so a retry never does it twice. What is still failing
// afterwards throws FulcrumUnavailable and the plugin's sweep tries again later; a refusal
// (another 4xx) throws FulcrumRefused with Fulcrum's problem detail and is not retried.

export class FulcrumUnavailable extends Error {}

export class FulcrumRefused extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: unknown },
  ) {
    const fields = Array.isArray(problem.errors)
      ? (problem.errors as { path?: string; pointer?: string; message?: string; detail?: string }[]).map((e) => `${e.path ?? e.pointer ?? '?'} ${e.message ?? e.detail ?? ''}`.trim()).join('; ')
      : '';
    super(`Fulcrum refused (${status}): ${problem.detail ?? problem.title ?? 'no detail'}${fields ? ` (${fields})` : ''}`);
  }
}

export interface ClientSettings {
  url: string;
  key: string;
  timeoutMs?: number;
  attempts?: number;
  /** Base of the exponential backoff between attempts (ms). */
  backoffMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function fulcrum<T>(settings: ClientSettings, method: string, path: string, options: { body?: unknown; idempotencyKey?: string } = {}): Promise<T> {
  const attempts = settings.attempts ?? 3;
  const backoff = settings.backoffMs ?? 500;
  let last = 'no attempt made';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let retryAfterMs = backoff * 2 ** (attempt - 1);
    try {
      const response = await fetch(`${settings.url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${settings.key}`,
          Accept: 'application/json',
          ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        redirect: 'error',
        signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
      });
      const text = await response.text();
      const parsed = text ? (JSON.parse(text) as unknown) : undefined;
      if (response.ok) return parsed as T;
      if (response.status !== 429 && response.status < 500) throw new FulcrumRefused(response.status, (parsed ?? {}) as FulcrumRefused['problem']);
      last = `${method} ${path} answered ${response.status}: ${(parsed as { detail?: string } | undefined)?.detail ?? ''}`.trim();
      const retryAfter = Number(response.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = Math.min(retryAfter * 1000, 30_000);
    } catch (err) {
      if (err instanceof FulcrumRefused) throw err;
      last = `${method} ${path} failed: ${(err as Error).message}`;
    }
    if (attempt < attempts) await sleep(retryAfterMs);
  }
  throw new FulcrumUnavailable(last);
}

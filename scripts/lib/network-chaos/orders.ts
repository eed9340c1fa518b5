// The channel of `npm run chaos:network`: orders arriving evenly over the whole fault schedule,
// each request retrying as docs/deploy.md tells a channel to (same body, same
// Idempotency-Key; on a 5xx, a 429, a timeout or a refused connection; waiting Retry-After or
// an exponential backoff, whichever is longer; five retries at most). Every attempt is kept.
import { orderBody } from '../chaos-drive.ts';
import { eachConcurrently, sleep } from '../wait.ts';

export interface Attempt {
  order: number;
  attempt: number;
  start: number;
  ms: number;
  /** The HTTP status, or what the client saw instead of one. */
  outcome: number | 'timeout' | 'connection error';
  detail: string;
}

export interface Placement {
  order: number;
  /** The id of the order from the last 2xx answer, if any. */
  orderId?: string;
  /** Every distinct order id a 2xx answer named (more than one would be a duplicate). */
  ids: Set<string>;
  final: Attempt['outcome'];
  attempts: Attempt[];
}

export const MAX_RETRIES = 5;
/** Longer than the API's own request timeout (30 s), so the API answers first. */
const CLIENT_TIMEOUT_MS = 35_000;

/** How long a channel waits before retry `n` (1-based): Retry-After or 2^(n-1) s, whichever is longer, ±20 %, at most 30 s. */
export function retryDelayMs(n: number, retryAfterSeconds: number | undefined): number {
  const base = Math.max(retryAfterSeconds ?? 0, 2 ** (n - 1));
  return Math.min(30, base) * 1000 * (0.8 + Math.random() * 0.4);
}

async function attemptOnce(url: string, key: string, i: number, n: number): Promise<{ attempt: Attempt; retryAfter?: number; id?: string }> {
  const start = Date.now();
  try {
    const res = await fetch(`${url}/v1/orders?wait=routed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `netchaos-${i}` },
      body: JSON.stringify(orderBody(i)),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await res.text();
    const body = (text ? JSON.parse(text) : {}) as { id?: string; detail?: string; status?: string };
    const retryAfter = Number(res.headers.get('retry-after') ?? NaN);
    const detail = res.status < 300 ? String(body.status ?? '') : String(body.detail ?? '').slice(0, 120);
    return {
      attempt: { order: i, attempt: n, start, ms: Date.now() - start, outcome: res.status, detail },
      ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
      ...(res.status < 300 && body.id ? { id: body.id } : {}),
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const timeout = e.name === 'TimeoutError' || e.name === 'AbortError';
    return { attempt: { order: i, attempt: n, start, ms: Date.now() - start, outcome: timeout ? 'timeout' : 'connection error', detail: e.cause?.code ?? e.message.slice(0, 80) } };
  }
}

export function retryable(outcome: Attempt['outcome']): boolean {
  return typeof outcome !== 'number' || outcome >= 500 || outcome === 429;
}

/** One order placed with retries; every attempt recorded. */
async function place(url: string, key: string, i: number): Promise<Placement> {
  const placement: Placement = { order: i, ids: new Set(), final: 'connection error', attempts: [] };
  for (let n = 1; n <= MAX_RETRIES + 1; n++) {
    const { attempt, retryAfter, id } = await attemptOnce(url, key, i, n);
    placement.attempts.push(attempt);
    placement.final = attempt.outcome;
    if (id) {
      placement.orderId = id;
      placement.ids.add(id);
    }
    if (!retryable(attempt.outcome) || n > MAX_RETRIES) break;
    await sleep(retryDelayMs(n, retryAfter));
  }
  return placement;
}

/**
 * `orders` orders arriving at t0 + i × spacing, as shoppers check out: an arrival does not wait
 * for a slow answer to someone else's order (at most `inFlight` requests at once).
 */
export async function placeOrders(options: { url: string; key: string; orders: number; inFlight: number; t0: number; spacingMs: number }): Promise<Placement[]> {
  const placements: Placement[] = [];
  await eachConcurrently(options.orders, options.inFlight, async (i) => {
    const due = options.t0 + i * options.spacingMs;
    if (due > Date.now()) await sleep(due - Date.now());
    placements.push(await place(options.url, options.key, i));
  });
  return placements.sort((a, b) => a.order - b.order);
}

export interface ReadySample {
  at: number;
  ready: boolean;
}

/** Polls /ready four times a second until stopped. */
export function watchReadiness(url: string) {
  const samples: ReadySample[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const at = Date.now();
      const ready = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(3000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      samples.push({ at, ready });
      await sleep(Math.max(0, 250 - (Date.now() - at)));
    }
  })();
  return {
    samples,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

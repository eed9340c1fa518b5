// Per-key rate limiting: a token bucket per API key, refilled continuously, holding at most a
// minute's allowance (so short bursts pass and a steady flood is cut to the rate). Per API
// process: behind a load balancer each instance enforces its share.
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly defaultPerMinute: number, private readonly now: () => number = Date.now) {}

  /** Whether a token is there, without taking it; when there is none, how many seconds until there is. */
  check(keyId: string, perMinute = this.defaultPerMinute): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const bucket = this.buckets.get(keyId);
    if (!bucket) return { ok: true };
    const rate = perMinute / 60_000;
    const tokens = Math.min(perMinute, bucket.tokens + (this.now() - bucket.at) * rate);
    return tokens >= 1 ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / rate / 1000)) };
  }

  /** Takes one request's token; when there is none, how many seconds until there is. */
  take(keyId: string, perMinute = this.defaultPerMinute): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    const rate = perMinute / 60_000;
    const bucket = this.buckets.get(keyId) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(keyId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000)) };
  }
}

// Token buckets, refilled continuously, each holding at most a minute's allowance (so short
// bursts pass and a steady flood is cut to the rate): one per API key for the request rate,
// one per client address for unknown keys. Per API process: behind a load balancer each
// instance enforces its share.
type Allowance = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Buckets kept before full ones (which carry no information) are dropped. */
const PRUNE_ABOVE = 50_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; perMinute: number }>();

  constructor(private readonly defaultPerMinute: number, private readonly now: () => number = Date.now) {}

  /** Whether a token is there, without taking it. */
  check(keyId: string, perMinute = this.defaultPerMinute): Allowance {
    return this.allowance(this.refilled(keyId, perMinute), perMinute);
  }

  /** Takes one request's token when there is one. */
  take(keyId: string, perMinute = this.defaultPerMinute): Allowance {
    const bucket = this.refilled(keyId, perMinute);
    this.buckets.set(keyId, bucket);
    if (this.buckets.size > PRUNE_ABOVE) this.prune();
    const allowance = this.allowance(bucket, perMinute);
    if (allowance.ok) bucket.tokens -= 1;
    return allowance;
  }

  /** Returns a token taken for a request that turned out not to count (an unknown-key allowance taken for a key that was good). */
  giveBack(keyId: string): void {
    const bucket = this.buckets.get(keyId);
    if (bucket) bucket.tokens = Math.min(bucket.perMinute, bucket.tokens + 1);
  }

  private refilled(keyId: string, perMinute: number): { tokens: number; at: number; perMinute: number } {
    const now = this.now();
    const bucket = this.buckets.get(keyId) ?? { tokens: perMinute, at: now, perMinute };
    bucket.perMinute = perMinute;
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) * perMinute) / 60_000);
    bucket.at = now;
    return bucket;
  }

  /** Whether a token is there; when there is none, how many seconds until there is. */
  private allowance(bucket: { tokens: number }, perMinute: number): Allowance {
    if (bucket.tokens >= 1) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / perMinute)) };
  }

  private prune(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * bucket.perMinute) / 60_000 >= bucket.perMinute) this.buckets.delete(key);
    }
  }
}

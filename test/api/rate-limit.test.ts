import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../api/rate-limit.ts';

describe('token buckets', () => {
  it('let a minute’s allowance through, then say when the next token comes', () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('k').ok).toBe(true);
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1000;
    expect(limiter.check('k').ok).toBe(true);
    expect(limiter.take('k').ok).toBe(true);
    expect(limiter.check('k').ok).toBe(false);
  });

  it('check without taking, and keep other keys apart', () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.check('a').ok).toBe(true);
    expect(limiter.check('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.check('a')).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(limiter.take('b').ok).toBe(true);
  });

  it('take a token back for a request that did not count, never above the allowance', () => {
    const limiter = new RateLimiter(2, () => 0);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.check('a').ok).toBe(false);
    limiter.giveBack('a');
    expect(limiter.take('a').ok).toBe(true);
    limiter.giveBack('a');
    limiter.giveBack('a');
    limiter.giveBack('a');
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });
});

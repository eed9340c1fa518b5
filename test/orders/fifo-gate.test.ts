// The first-come-first-served gate in front of routing waits (services/admission.ts).
import { describe, expect, it } from 'vitest';
import { FifoGate } from '../../services/admission.ts';

describe('FifoGate', () => {
  it('lets `limit` holders in and the rest in arrival order as places free', async () => {
    const gate = new FifoGate(2);
    const a = await gate.acquire(1000);
    const b = await gate.acquire(1000);
    const order: string[] = [];
    const c = gate.acquire(1000).then((release) => (order.push('c'), release));
    const d = gate.acquire(1000).then((release) => (order.push('d'), release));
    expect(gate.load).toEqual({ active: 2, queued: 2 });
    b!();
    b!(); // a second release of one place gives nothing back twice
    const releaseC = await c;
    expect(gate.load).toEqual({ active: 2, queued: 1 });
    a!();
    const releaseD = await d;
    expect(order).toEqual(['c', 'd']);
    releaseC!();
    releaseD!();
    expect(gate.load).toEqual({ active: 0, queued: 0 });
  });

  it('gives up on a wait that runs out, and that wait takes no place later', async () => {
    const gate = new FifoGate(1);
    const held = await gate.acquire(1000);
    expect(await gate.acquire(20)).toBeUndefined();
    expect(gate.load).toEqual({ active: 1, queued: 0 });
    const next = gate.acquire(1000);
    held!();
    const release = await next;
    expect(gate.load).toEqual({ active: 1, queued: 0 });
    release!();
  });

  it('queues a newcomer behind those already waiting even when a place is free for a moment', async () => {
    const gate = new FifoGate(1);
    const held = await gate.acquire(1000);
    const first = gate.acquire(1000);
    held!(); // the place goes to `first`, not to whoever asks next
    const second = gate.acquire(10);
    expect(await second).toBeUndefined();
    (await first)!();
  });
});

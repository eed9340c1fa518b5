import { describe, expect, it } from 'vitest';
import { chooseSingleLocation, type CandidateLocation } from '../../domain/sourcing/single-location.ts';

const caps = { ship: true, pickup: true, curbside: true, sameDay: false, returns: true };
const loop = { lat: 41.8789, lon: -87.6359 };

function location(id: string, lat: number, lon: number, extra: Partial<CandidateLocation> = {}): CandidateLocation {
  return { id, active: true, geo: { lat, lon }, capabilities: caps, priority: null, ...extra };
}

const near = location('NEAR', 41.88, -87.63);
const far = location('FAR', 41.52, -88.08);

describe('single-location sourcing', () => {
  it('ranks the locations that hold the whole order nearest first', () => {
    const stock = new Map([
      ['NEAR', new Map([['A', 5]])],
      ['FAR', new Map([['A', 5]])],
    ]);
    const decision = chooseSingleLocation(
      { method: 'ship', destination: loop, lines: [{ lineId: '1', sku: 'A', quantity: 2 }], excludeLocationIds: [] },
      [far, near],
      stock,
    );
    expect(decision.ranked).toEqual(['NEAR', 'FAR']);
  });

  it('needs the sum of two lines of the same SKU at one location (the bundle case)', () => {
    const stock = new Map([
      ['NEAR', new Map([['A', 3]])],
      ['FAR', new Map([['A', 4]])],
    ]);
    const decision = chooseSingleLocation(
      {
        method: 'ship',
        destination: loop,
        lines: [
          { lineId: '1', sku: 'A', quantity: 2 },
          { lineId: '2', sku: 'A', quantity: 2 },
        ],
        excludeLocationIds: [],
      },
      [near, far],
      stock,
    );
    expect(decision.ranked).toEqual(['FAR']);
    expect(decision.candidates).toContainEqual({ locationId: 'NEAR', eligible: false, reason: 'insufficient stock for A (3 of 4)' });
  });

  it('explains why each excluded location was excluded', () => {
    const stock = new Map([
      ['OFF', new Map([['A', 9]])],
      ['NOSHIP', new Map([['A', 9]])],
      ['EXCLUDED', new Map([['A', 9]])],
    ]);
    const decision = chooseSingleLocation(
      { method: 'ship', destination: loop, lines: [{ lineId: '1', sku: 'A', quantity: 1 }], excludeLocationIds: ['EXCLUDED'] },
      [
        location('OFF', 41.9, -87.6, { active: false }),
        location('NOSHIP', 41.9, -87.6, { capabilities: { ...caps, ship: false } }),
        location('EXCLUDED', 41.9, -87.6),
        location('EMPTY', 41.9, -87.6),
      ],
      stock,
    );
    expect(decision.ranked).toEqual([]);
    expect(Object.fromEntries(decision.candidates.map((c) => [c.locationId, c.eligible ? 'eligible' : c.reason]))).toEqual({
      OFF: 'location inactive',
      NOSHIP: 'no ship capability',
      EXCLUDED: 'excluded for this order',
      EMPTY: 'insufficient stock for A (0 of 1)',
    });
  });

  it('routes a pickup order only to its pickup store', () => {
    const stock = new Map([
      ['NEAR', new Map([['A', 5]])],
      ['FAR', new Map([['A', 5]])],
    ]);
    const decision = chooseSingleLocation(
      { method: 'pickup', pickupLocationId: 'FAR', lines: [{ lineId: '1', sku: 'A', quantity: 1 }], excludeLocationIds: [] },
      [near, far],
      stock,
    );
    expect(decision.ranked).toEqual(['FAR']);
  });

  it('breaks distance ties by priority, then by id', () => {
    const stock = new Map(['B', 'A', 'C'].map((id) => [id, new Map([['X', 1]])]));
    const decision = chooseSingleLocation(
      { method: 'ship', lines: [{ lineId: '1', sku: 'X', quantity: 1 }], excludeLocationIds: [] },
      [location('B', 1, 1), location('A', 1, 1), location('C', 1, 1, { priority: 9 })],
      stock,
    );
    expect(decision.ranked).toEqual(['C', 'A', 'B']);
  });
});

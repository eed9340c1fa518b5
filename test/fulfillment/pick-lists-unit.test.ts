// Batch picking's pure rules (domain/fulfillments/pick-lists.ts): merging lines by SKU and
// sharing scans out in queue order.
import { describe, expect, it } from 'vitest';
import { shareScan, walkLines, type PickListMember } from '../../domain/fulfillments/pick-lists.ts';

const line = (lineId: string, sku: string, quantity: number, picked = 0, gtin?: string) => ({ lineId, sku, quantity, picked, short: 0, ...(gtin ? { gtin } : {}) });
const members: PickListMember[] = [
  { id: 'ful_a', lines: [line('1', 'MUG', 2), line('2', 'TEA', 1, 0, '4006381333931')] },
  { id: 'ful_b', lines: [line('1', 'MUG', 1)] },
  { id: 'ful_c', lines: [line('1', 'MUG', 3, 3), line('2', 'TEA', 2)] },
];

describe('pick lists', () => {
  it('merges lines by SKU with what each fulfillment still needs', () => {
    expect(walkLines(members)).toEqual([
      { sku: 'MUG', quantity: 6, picked: 3, short: 0, fulfillments: [{ fulfillmentId: 'ful_a', remaining: 2 }, { fulfillmentId: 'ful_b', remaining: 1 }, { fulfillmentId: 'ful_c', remaining: 0 }] },
      { sku: 'TEA', gtin: '4006381333931', quantity: 3, picked: 0, short: 0, fulfillments: [{ fulfillmentId: 'ful_a', remaining: 1 }, { fulfillmentId: 'ful_c', remaining: 2 }] },
    ]);
  });

  it('shares a scan out in queue order, by SKU or GTIN, all or nothing', () => {
    expect(shareScan(members, { barcode: 'MUG', quantity: 3 })).toEqual({ ok: true, sku: 'MUG', shares: [{ fulfillmentId: 'ful_a', quantity: 2 }, { fulfillmentId: 'ful_b', quantity: 1 }] });
    expect(shareScan(members, { barcode: '4006381333931', quantity: 2 })).toEqual({ ok: true, sku: 'TEA', shares: [{ fulfillmentId: 'ful_a', quantity: 1 }, { fulfillmentId: 'ful_c', quantity: 1 }] });
    expect(shareScan(members, { barcode: 'MUG', quantity: 4 })).toEqual({ ok: false, message: 'barcode MUG: only 3 more unit(s) to pick in this pick list, not 4' });
    expect(shareScan(members, { barcode: 'SPOON', quantity: 1 })).toEqual({ ok: false, message: 'barcode SPOON matches no line of this pick list' });
  });
});

// Batch picking: one walk for several fulfillments of a location. The walk's lines are the
// fulfillments' lines merged by SKU; a scan of a SKU or GTIN is shared out to the fulfillments
// in queue order (the first still missing units of that line gets them first). Pure.
import { z } from 'zod';
import { text } from '../text.ts';
import type { FulfillmentLine } from './schemas.ts';

export const CreatePickListRequest = z
  .object({
    fulfillmentIds: z.array(text(100)).min(1).max(50).optional().describe('These fulfillments, in this order (default: the location queue)'),
    maxFulfillments: z.int().min(1).max(50).default(10).describe('At most this many from the queue when fulfillmentIds is not given'),
  })
  .strict();
export type CreatePickListRequest = z.infer<typeof CreatePickListRequest>;

export const PickListScan = z.object({ barcode: text(64), quantity: z.int().min(1).max(10_000).default(1) }).strict();
export type PickListScan = z.infer<typeof PickListScan>;

/** The contract's `{ scans: [{ barcode, quantity }] }`, or one scan as `{ barcode, quantity }` (kept for clients written against it). */
export const PickListScanRequest = z
  .object({
    scans: z.array(PickListScan).min(1).max(200).optional(),
    barcode: text(64).optional(),
    quantity: z.int().min(1).max(10_000).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.scans && (body.barcode !== undefined || body.quantity !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['scans'], message: 'send either scans or one barcode, not both' });
    }
    if (!body.scans && body.barcode === undefined) ctx.addIssue({ code: 'custom', path: ['scans'], message: 'is required (or one barcode)' });
  });
export type PickListScanRequest = z.infer<typeof PickListScanRequest>;

/** The scans a request carries, in order, and the path each is named by in a refusal. */
export function scansOf(body: PickListScanRequest): { scan: PickListScan; path: string }[] {
  if (body.scans) return body.scans.map((scan, i) => ({ scan, path: `scans[${i}].barcode` }));
  return [{ scan: { barcode: body.barcode!, quantity: body.quantity ?? 1 }, path: 'barcode' }];
}

export interface PickListMember {
  id: string;
  lines: readonly Pick<FulfillmentLine, 'lineId' | 'sku' | 'gtin' | 'quantity' | 'picked' | 'short'>[];
}

export interface WalkLine {
  sku: string;
  gtin?: string;
  quantity: number;
  picked: number;
  short: number;
  /** Per fulfillment, in the list's order: units still to pick there. */
  fulfillments: { fulfillmentId: string; remaining: number }[];
}

const left = (line: PickListMember['lines'][number]) => Math.max(0, line.quantity - line.picked - line.short);

/** The walk: lines merged by SKU (sorted by SKU), with what each fulfillment still needs. */
export function walkLines(members: readonly PickListMember[]): WalkLine[] {
  const bySku = new Map<string, WalkLine>();
  for (const member of members) {
    for (const line of member.lines) {
      let walk = bySku.get(line.sku);
      if (!walk) bySku.set(line.sku, (walk = { sku: line.sku, ...(line.gtin ? { gtin: line.gtin } : {}), quantity: 0, picked: 0, short: 0, fulfillments: [] }));
      walk.quantity += line.quantity;
      walk.picked += line.picked;
      walk.short += line.short;
      const entry = walk.fulfillments.find((f) => f.fulfillmentId === member.id);
      if (entry) entry.remaining += left(line);
      else walk.fulfillments.push({ fulfillmentId: member.id, remaining: left(line) });
    }
  }
  return [...bySku.values()].sort((a, b) => a.sku.localeCompare(b.sku));
}

export type ScanShare = { ok: true; sku: string; shares: { fulfillmentId: string; quantity: number }[] } | { ok: false; message: string };

/** Shares a scan's units out to the fulfillments in the list's order; all or nothing. */
export function shareScan(members: readonly PickListMember[], scan: PickListScan): ScanShare {
  // The barcode names a SKU (itself, or a GTIN any member knows for it): then units go by SKU.
  const sku = members.flatMap((m) => m.lines).find((l) => l.sku === scan.barcode || (l.gtin !== undefined && l.gtin === scan.barcode))?.sku;
  if (sku === undefined) return { ok: false, message: `barcode ${scan.barcode} matches no line of this pick list` };
  const shares: { fulfillmentId: string; quantity: number }[] = [];
  let toShare = scan.quantity;
  for (const member of members) {
    const room = member.lines.filter((l) => l.sku === sku).reduce((n, l) => n + left(l), 0);
    const take = Math.min(room, toShare);
    if (take > 0) shares.push({ fulfillmentId: member.id, quantity: take });
    toShare -= take;
    if (toShare === 0) break;
  }
  if (toShare > 0) return { ok: false, message: `barcode ${scan.barcode}: only ${scan.quantity - toShare} more unit(s) to pick in this pick list, not ${scan.quantity}` };
  return { ok: true, sku, shares };
}

/**
 * Shares several scans in order, each seeing what the ones before it took; all or nothing: the
 * first that cannot be shared is named by its index and nothing is shared.
 */
export function shareScans(
  members: readonly PickListMember[],
  scans: readonly PickListScan[],
): { ok: true; shared: { scan: PickListScan; sku: string; shares: { fulfillmentId: string; quantity: number }[] }[] } | { ok: false; index: number; message: string } {
  let state = members.map((m) => ({ id: m.id, lines: m.lines.map((l) => ({ ...l })) }));
  const shared = [];
  for (const [index, scan] of scans.entries()) {
    const share = shareScan(state, scan);
    if (!share.ok) return { ok: false, index, message: share.message };
    shared.push({ scan, sku: share.sku, shares: share.shares });
    state = state.map((m) => {
      let taken = share.shares.find((s) => s.fulfillmentId === m.id)?.quantity ?? 0;
      return {
        id: m.id,
        lines: m.lines.map((l) => {
          if (l.sku !== share.sku || taken === 0) return l;
          const take = Math.min(taken, left(l));
          taken -= take;
          return { ...l, picked: l.picked + take };
        }),
      };
    });
  }
  return { ok: true, shared };
}

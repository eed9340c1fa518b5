// Picking with barcode scans: a scan matches a line when it equals the line's SKU or GTIN.
// Pure, so the workflow's Update validator and its handler reach the same verdict.
import { isValidGtin } from '../gtin.ts';
import type { FieldError } from '../errors.ts';
import type { FulfillmentLine, PickRequest } from './schemas.ts';

export type PickOutcome =
  | { ok: true; picked: Map<string, number>; short: Map<string, number> }
  | { ok: false; errors: FieldError[] };

function looksLikeGtin(barcode: string): boolean {
  return /^\d{8}$|^\d{12,14}$/.test(barcode);
}

/** The line a barcode belongs to (a line with units still to pick comes first). */
function lineFor(lines: readonly FulfillmentLine[], barcode: string, picked: Map<string, number>, short: Map<string, number>): FulfillmentLine | undefined {
  const matches = lines.filter((l) => l.sku === barcode || (l.gtin !== undefined && l.gtin === barcode));
  return matches.find((l) => remaining(l, picked, short) > 0) ?? matches[0];
}

function remaining(line: FulfillmentLine, picked: Map<string, number>, short: Map<string, number>): number {
  return line.quantity - line.picked - line.short - (picked.get(line.lineId) ?? 0) - (short.get(line.lineId) ?? 0);
}

/**
 * Applies a pick request to the lines: every scan must match a line and stay within what is
 * left to pick; shortages name lines of this fulfillment. All or nothing: any error and
 * nothing is recorded.
 */
export function applyPick(lines: readonly FulfillmentLine[], request: PickRequest, what: 'fulfillment' | 'transfer' = 'fulfillment'): PickOutcome {
  const errors: FieldError[] = [];
  const picked = new Map<string, number>();
  const short = new Map<string, number>();
  (request.shortages ?? []).forEach((s, i) => {
    const line = lines.find((l) => l.lineId === s.lineId);
    if (!line) {
      errors.push({ path: `shortages[${i}].lineId`, message: `line ${s.lineId} is not part of this ${what}` });
      return;
    }
    short.set(s.lineId, (short.get(s.lineId) ?? 0) + s.quantity);
  });
  request.scans.forEach((scan, i) => {
    const line = lineFor(lines, scan.barcode, picked, short);
    if (!line) {
      const message =
        looksLikeGtin(scan.barcode) && !isValidGtin(scan.barcode)
          ? `${scan.barcode} is not a valid GTIN (check digit) and matches no line of this ${what}`
          : `${scan.barcode} matches no line of this ${what} (wrong item)`;
      errors.push({ path: `scans[${i}].barcode`, message });
      return;
    }
    picked.set(line.lineId, (picked.get(line.lineId) ?? 0) + scan.quantity);
    if (remaining(line, new Map(), short) - (picked.get(line.lineId) ?? 0) < 0) {
      errors.push({ path: `scans[${i}].quantity`, message: `more units of line ${line.lineId} than are left to pick` });
    }
  });
  for (const [lineId, quantity] of short) {
    const line = lines.find((l) => l.lineId === lineId)!;
    if (line.quantity - line.picked - line.short - (picked.get(lineId) ?? 0) - quantity < 0) {
      const index = (request.shortages ?? []).findIndex((s) => s.lineId === lineId);
      errors.push({ path: `shortages[${index}].quantity`, message: `more units of line ${lineId} than are left to pick` });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, picked, short };
}

/** Every unit is either picked or reported short. */
export function pickComplete(lines: readonly FulfillmentLine[]): boolean {
  return lines.every((l) => l.picked + l.short >= l.quantity);
}

// One design for every printer: a 4×6 inch label laid out in the dots of a 203 dpi thermal
// printer (812 × 1218), which the PDF (activities/fulfillment/label-pdf.ts) scales to points
// and the ZPL (label-zpl.ts) prints as is. One label per package.
import bwipjs from 'bwip-js';
import { fitText, textWidth, type Weight } from './label-fonts.ts';
import { labelWords, type LabelLanguage } from '../../domain/shipping/label-words.ts';

export const DPI = 203;
export const WIDTH_DOTS = 4 * DPI;
export const HEIGHT_DOTS = 6 * DPI;
const MARGIN = 40;
const INNER = WIDTH_DOTS - 2 * MARGIN;
/** Code 128 wants a quiet zone of ten modules on each side. */
const QUIET_MODULES = 10;
/** The widest module a carrier's scanners expect (3 dots ≈ 0.38 mm at 203 dpi). */
const MAX_MODULE_DOTS = 3;

export interface LabelContent {
  carrier: string;
  service: string;
  trackingNumber: string;
  /** The sender: name, then the address lines. */
  shipFrom: string[];
  shipTo: { recipient: string; lines: string[] };
  /** References printed at the bottom: order, fulfillment or RMA. */
  references: string[];
  /** One label each, in order. */
  packages: { weightGrams: number }[];
  /** The words besides the addresses (the shipping location's market's language; English when absent). */
  language?: LabelLanguage;
}

/** A line of text; y is its top, sizes are the em size in dots. */
export interface TextItem {
  text: string;
  x: number;
  y: number;
  size: number;
  weight: Weight;
  /** Centred on the label (x is then the left edge of the centring box). */
  centre?: boolean;
  width: number;
}

export interface LabelPage {
  texts: TextItem[];
  /** Horizontal rules: y and thickness in dots. */
  rules: { y: number; thickness: number }[];
  barcode: { x: number; y: number; height: number; moduleDots: number; modules: number[]; data: string };
}

/** The width of a text item as set, in dots. */
export function textWidthOf(item: TextItem): number {
  return textWidth(item.text, item.weight, item.size);
}

/** The bar and space widths (in modules, bar first) of the Code 128 symbol for `text`. */
export function code128Modules(text: string): number[] {
  const [symbol] = bwipjs.raw({ bcid: 'code128', text }) as { sbs: number[] }[];
  if (!symbol) throw new Error('bwip-js returned no symbol');
  return symbol.sbs;
}

function line(text: string, y: number, size: number, weight: Weight = 'regular', options: { centre?: boolean; minSize?: number } = {}): TextItem {
  const fitted = fitText(text, weight, size, INNER, options.minSize ?? Math.min(size, 18));
  return { text: fitted.text, x: MARGIN, y, size: fitted.size, weight, width: INNER, ...(options.centre ? { centre: true } : {}) };
}

/** Lines one under the other from y, at most `max` of them (the last cut short when more). */
function block(lines: string[], y: number, size: number, max: number, weight: Weight = 'regular'): TextItem[] {
  const shown = lines.length > max ? [...lines.slice(0, max - 1), lines.slice(max - 1).join(', ')] : lines;
  return shown.map((text, i) => line(text, y + i * Math.round(size * 1.2), size, weight));
}

/** The pages of a label: one per package, the same but for the package line. */
export function layoutLabel(content: LabelContent): LabelPage[] {
  const words = labelWords(content.language);
  const modules = code128Modules(content.trackingNumber);
  const total = modules.reduce((s, m) => s + m, 0);
  const moduleDots = Math.max(1, Math.min(MAX_MODULE_DOTS, Math.floor(INNER / (total + 2 * QUIET_MODULES))));
  const barcode = { x: Math.round((WIDTH_DOTS - total * moduleDots) / 2), y: 650, height: 190, moduleDots, modules, data: content.trackingNumber };
  const common: TextItem[] = [
    line(content.carrier.toUpperCase(), 36, 54, 'bold'),
    line(content.service.toUpperCase(), 100, 32),
    line(words.from, 156, 22),
    ...block(content.shipFrom, 182, 26, 5),
    line(words.shipTo, 346, 22),
    line(content.shipTo.recipient, 372, 44, 'bold'),
    ...block(content.shipTo.lines, 428, 36, 5),
    line(content.trackingNumber, 850, 34, 'bold', { centre: true }),
    ...content.references.slice(0, 4).map((ref, i) => line(ref, 1000 + i * 30, 24)),
  ];
  const rules = [
    { y: 144, thickness: 4 },
    { y: 334, thickness: 3 },
    { y: 630, thickness: 4 },
  ];
  const count = content.packages.length;
  return content.packages.map((p, i) => ({
    texts: [...common, line(words.package(i + 1, count, (p.weightGrams / 1000).toFixed(2)), 920, 36, 'bold', { centre: true })],
    rules,
    barcode,
  }));
}

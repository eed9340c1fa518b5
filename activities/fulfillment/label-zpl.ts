// The label as ZPL II for thermal printers (203 dpi, 4×6 inch), one ^XA…^XZ format per package,
// from the same layout as the PDF (label-layout.ts). ASCII text is printed in the printer's
// own scalable font 0; text in any other script is drawn here, from the same Unicode fonts
// as the PDF, into a 1-bit graphic field (^GF), because a printer's resident fonts cover
// Latin only. The barcode is the printer's own Code 128 (^BC) at a whole-dot module width.
import { fontRuns } from './label-fonts.ts';
import { HEIGHT_DOTS, WIDTH_DOTS, layoutLabel, textWidthOf, type LabelContent, type LabelPage, type TextItem } from './label-layout.ts';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Where font 0 puts the baseline, as a share of its height below the field origin. */
const NATIVE_BASELINE = 0.8;

/** Field data with ^FH: the characters ZPL reads as commands, written as hex escapes. */
function fieldData(text: string): string {
  return `^FH\\^FD${text.replace(/[\\^~]/g, (c) => `\\${c.charCodeAt(0).toString(16).toUpperCase()}`)}^FS`;
}

type Point = [number, number];

/** A glyph outline as closed polygons (curves flattened), in dots, y down. */
function polygons(commands: { command: string; args: number[] }[], scale: number, dx: number, baseline: number): Point[][] {
  const out: Point[][] = [];
  let current: Point[] = [];
  const at = (x: number, y: number): Point => [dx + x * scale, baseline - y * scale];
  const last = (): Point => current[current.length - 1] ?? [dx, baseline];
  const curve = (points: Point[], steps = 8) => {
    const start = last();
    for (let i = 1; i <= steps; i++) {
      const t = i / steps;
      // De Casteljau over the start point and the control points.
      let layer: Point[] = [start, ...points];
      while (layer.length > 1) layer = layer.slice(1).map((p, k) => [layer[k]![0] + (p[0] - layer[k]![0]) * t, layer[k]![1] + (p[1] - layer[k]![1]) * t]);
      current.push(layer[0]!);
    }
  };
  for (const { command, args } of commands) {
    if (command === 'moveTo') {
      if (current.length > 1) out.push(current);
      current = [at(args[0]!, args[1]!)];
    } else if (command === 'lineTo') current.push(at(args[0]!, args[1]!));
    else if (command === 'quadraticCurveTo') curve([at(args[0]!, args[1]!), at(args[2]!, args[3]!)]);
    else if (command === 'bezierCurveTo') curve([at(args[0]!, args[1]!), at(args[2]!, args[3]!), at(args[4]!, args[5]!)]);
    else if (command === 'closePath' && current.length > 1) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 1) out.push(current);
  return out;
}

/** Fills polygons into a bitmap by the non-zero rule, sampling each dot at its centre. */
function fill(bitmap: Uint8Array, width: number, height: number, shapes: Point[][]): void {
  for (let row = 0; row < height; row++) {
    const y = row + 0.5;
    const crossings: { x: number; winding: number }[] = [];
    for (const shape of shapes) {
      for (let i = 0; i < shape.length; i++) {
        const [x0, y0] = shape[i]!;
        const [x1, y1] = shape[(i + 1) % shape.length]!;
        if (y0 === y1 || y < Math.min(y0, y1) || y >= Math.max(y0, y1)) continue;
        crossings.push({ x: x0 + ((y - y0) * (x1 - x0)) / (y1 - y0), winding: y1 > y0 ? 1 : -1 });
      }
    }
    crossings.sort((a, b) => a.x - b.x);
    let winding = 0;
    for (let i = 0; i < crossings.length - 1; i++) {
      winding += crossings[i]!.winding;
      if (winding === 0) continue;
      const from = Math.max(0, Math.ceil(crossings[i]!.x - 0.5));
      const to = Math.min(width - 1, Math.floor(crossings[i + 1]!.x - 0.5));
      for (let x = from; x <= to; x++) bitmap[row * width + x] = 1;
    }
  }
}

/** Text drawn into a 1-bit graphic field, as ^GFA with its hex rows. */
export function rasterText(item: TextItem): { width: number; height: number; ascent: number; zpl: string } {
  const runs = fontRuns(item.text, item.weight);
  const ascent = Math.max(...runs.map((r) => r.font.font.ascent / r.font.font.unitsPerEm));
  const descent = Math.min(...runs.map((r) => r.font.font.descent / r.font.font.unitsPerEm));
  const height = Math.max(1, Math.ceil((ascent - descent) * item.size));
  const width = Math.max(8, Math.ceil(textWidthOf(item)) + 1);
  const shapes: Point[][] = [];
  let x = 0;
  for (const run of runs) {
    const { font } = run.font;
    const scale = item.size / font.unitsPerEm;
    const laid = font.layout(run.text);
    laid.glyphs.forEach((glyph, i) => {
      const position = laid.positions[i]!;
      shapes.push(...polygons(glyph.path.commands, scale, x + position.xOffset * scale, ascent * item.size - position.yOffset * scale));
      x += position.xAdvance * scale;
    });
  }
  const bitmap = new Uint8Array(width * height);
  fill(bitmap, width, height, shapes);
  const bytesPerRow = Math.ceil(width / 8);
  let hex = '';
  for (let row = 0; row < height; row++) {
    for (let b = 0; b < bytesPerRow; b++) {
      let byte = 0;
      for (let bit = 0; bit < 8; bit++) {
        const x = b * 8 + bit;
        byte = (byte << 1) | (x < width ? bitmap[row * width + x]! : 0);
      }
      hex += byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  const total = bytesPerRow * height;
  return { width, height, ascent: ascent * item.size, zpl: `^GFA,${total},${total},${bytesPerRow},${hex}` };
}

function textField(item: TextItem): string {
  const size = Math.round(item.size);
  if (PRINTABLE_ASCII.test(item.text)) {
    const block = item.centre ? `^FB${item.width},1,0,C,0` : '';
    return `^FO${item.x},${item.y}^A0N,${size},${size}${block}${fieldData(item.text)}`;
  }
  const graphic = rasterText(item);
  const x = item.centre ? item.x + Math.max(0, Math.round((item.width - graphic.width) / 2)) : item.x;
  // On the baseline font 0 would use (about 0.8 of its height below the field's top).
  const y = Math.max(0, Math.round(item.y + NATIVE_BASELINE * item.size - graphic.ascent));
  return `^FO${x},${y}${graphic.zpl}^FS`;
}

function page(p: LabelPage): string {
  const { barcode } = p;
  return [
    `^XA^CI28^PW${WIDTH_DOTS}^LL${HEIGHT_DOTS}^LH0,0`,
    ...p.rules.map((r) => `^FO40,${r.y}^GB${WIDTH_DOTS - 80},${r.thickness},${r.thickness}^FS`),
    ...p.texts.map(textField),
    // ^BC in automatic mode picks the code sets; the module width is whole dots (^BY).
    `^FO${barcode.x},${barcode.y}^BY${barcode.moduleDots}^BCN,${barcode.height},N,N,N,A${fieldData(barcode.data)}`,
    '^XZ',
  ].join('\n');
}

export function renderLabelZpl(content: LabelContent): string {
  return `${layoutLabel(content).map(page).join('\n')}\n`;
}

// The fonts labels are set in, for any script a name or address may be written in: Noto Sans
// (its Latin, Latin Extended, Cyrillic, Greek and Vietnamese subsets, as @fontsource ships
// them) and GNU Unifont behind it for everything else (CJK, Hangul, Thai, Arabic…), which
// covers the whole Basic Multilingual Plane. Each character is set in the first font that has
// it; both are under the SIL Open Font License and embedded (subset) in every PDF.
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);
const NOTO_SUBSETS = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese'];

export type Weight = 'regular' | 'bold';

export interface LabelFont {
  /** The key a PDF document registers the font under. */
  key: string;
  path: string;
  font: fontkit.Font;
}

/** A stretch of text set in one font. */
export interface FontRun {
  text: string;
  font: LabelFont;
}

const chains = new Map<Weight, LabelFont[]>();

function open(key: string, path: string): LabelFont {
  const font = fontkit.openSync(path);
  if (!('unitsPerEm' in font)) throw new Error(`${path} is a font collection, not a font`);
  return { key, path, font };
}

/** The fallback chain for a weight, loaded once per process. */
export function fontChain(weight: Weight): LabelFont[] {
  let chain = chains.get(weight);
  if (!chain) {
    const w = weight === 'bold' ? 700 : 400;
    chain = [
      ...NOTO_SUBSETS.map((subset) => open(`noto-${subset}-${w}`, require.resolve(`@fontsource/noto-sans/files/noto-sans-${subset}-${w}-normal.woff`))),
      open('unifont', require.resolve('@fontsource/unifont/files/unifont-latin-400-normal.woff')),
    ];
    chains.set(weight, chain);
  }
  return chain;
}

/** Splits text into runs, each character in the first font of the chain that has it (Unifont when none does). */
export function fontRuns(text: string, weight: Weight): FontRun[] {
  const chain = fontChain(weight);
  const runs: FontRun[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const font = chain.find((f) => f.font.hasGlyphForCodePoint(code)) ?? chain[chain.length - 1]!;
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += char;
    else runs.push({ text: char, font });
  }
  return runs;
}

/** The advance width of text at a size (in whatever unit the size is in). */
export function textWidth(text: string, weight: Weight, size: number): number {
  return fontRuns(text, weight).reduce((sum, run) => sum + (run.font.font.layout(run.text).advanceWidth * size) / run.font.font.unitsPerEm, 0);
}

/**
 * Text as it fits a width: set smaller, down to `minSize`, then cut with an ellipsis (a label
 * shrinks a long name rather than wrap it over the next field).
 */
export function fitText(text: string, weight: Weight, size: number, maxWidth: number, minSize: number): { text: string; size: number } {
  const width = textWidth(text, weight, size);
  if (width <= maxWidth) return { text, size };
  const smaller = Math.max(minSize, Math.floor(((size * maxWidth) / width) * 10) / 10);
  if (textWidth(text, weight, smaller) <= maxWidth) return { text, size: smaller };
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, weight, smaller) > maxWidth) chars.pop();
  return { text: `${chars.join('').trimEnd()}…`, size: smaller };
}

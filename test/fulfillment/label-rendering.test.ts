// The label's text in any script: which font sets each character, how long text fits the
// label, and text drawn into a ZPL graphic field.
import { describe, expect, it } from 'vitest';
import { fitText, fontRuns, textWidth } from '../../activities/fulfillment/label-fonts.ts';
import { rasterText } from '../../activities/fulfillment/label-zpl.ts';
import { layoutLabel } from '../../activities/fulfillment/label-layout.ts';

describe('label text', () => {
  it('sets Latin, Cyrillic and Greek in Noto Sans and CJK in Unifont, run by run', () => {
    const runs = fontRuns('Zoë Анна Ωμέγα 東京', 'regular');
    expect(runs.map((r) => [r.text, r.font.key])).toEqual([
      ['Zoë ', 'noto-latin-400'],
      ['Анна', 'noto-cyrillic-400'],
      [' ', 'noto-latin-400'],
      ['Ωμέγα', 'noto-greek-400'],
      [' ', 'noto-latin-400'],
      ['東京', 'unifont'],
    ]);
  });

  it('shrinks a long line to fit, then cuts it with an ellipsis', () => {
    const name = 'Maximilian Alexander von Hohenzollern-Sigmaringen';
    const fitted = fitText(name, 'bold', 44, 732, 30);
    expect(fitted.size).toBeLessThan(44);
    expect(textWidth(fitted.text, 'bold', fitted.size)).toBeLessThanOrEqual(732);
    const cut = fitText(name.repeat(3), 'bold', 44, 732, 30);
    expect(cut).toMatchObject({ size: 30 });
    expect(cut.text.endsWith('…')).toBe(true);
    expect(textWidth(cut.text, 'bold', 30)).toBeLessThanOrEqual(732);
  });

  it('draws text into a 1-bit graphic field whose rows carry nothing past the text', () => {
    const graphic = rasterText({ text: 'Анна 東京', x: 40, y: 0, size: 40, weight: 'bold', width: 732 });
    const [, total, , perRow, hex] = graphic.zpl.split(',');
    expect(Number(total)).toBe(Number(perRow) * graphic.height);
    expect(hex).toHaveLength(Number(total) * 2);
    const rows = hex!.match(new RegExp(`.{${Number(perRow) * 2}}`, 'g'))!;
    const inked = rows.map((row) => BigInt(`0x${row}`).toString(2).split('1').length - 1).reduce((a, b) => a + b, 0);
    // Ink covers a real share of the box, not nothing and not all of it.
    expect(inked / (graphic.width * graphic.height)).toBeGreaterThan(0.08);
    expect(inked / (graphic.width * graphic.height)).toBeLessThan(0.6);
    const padding = Number(perRow) * 8 - graphic.width;
    for (const row of rows) expect(BigInt(`0x${row}`) & ((1n << BigInt(padding)) - 1n)).toBe(0n);
  });

  it('lays out one label per package with the barcode in whole dots', () => {
    const pages = layoutLabel({
      carrier: 'UPS',
      service: 'Ground',
      trackingNumber: 'UP123456789012',
      shipFrom: ['Loop', '1 N State St', 'Chicago, IL 60602', 'US'],
      shipTo: { recipient: 'Ada', lines: ['233 S Wacker Dr', 'Chicago, IL 60606', 'US'] },
      references: ['Order 1'],
      packages: [{ weightGrams: 1000 }, { weightGrams: 500 }, { weightGrams: 250 }],
    });
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.texts.at(-1)!.text)).toEqual(['PACKAGE 1 OF 3 - 1.00 KG', 'PACKAGE 2 OF 3 - 0.50 KG', 'PACKAGE 3 OF 3 - 0.25 KG']);
    expect(Number.isInteger(pages[0]!.barcode.moduleDots) && Number.isInteger(pages[0]!.barcode.x)).toBe(true);
  });
});

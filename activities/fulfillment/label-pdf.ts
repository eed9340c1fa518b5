// The label as a PDF, one 4×6 inch page per package, from the layout in printer dots
// (label-layout.ts): text in embedded Unicode fonts (label-fonts.ts), so any script prints and
// reads back, and the Code 128 bars drawn as vector rectangles on the 203 dpi dot grid, every
// bar and space a whole number of dots, so a thermal printer reproduces them exactly.
import PDFDocument from 'pdfkit';
import { fontChain, fontRuns } from './label-fonts.ts';
import { DPI, HEIGHT_DOTS, WIDTH_DOTS, layoutLabel, textWidthOf, type LabelContent, type LabelPage, type TextItem } from './label-layout.ts';

export { code128Modules, type LabelContent } from './label-layout.ts';

/** Points per printer dot. */
const PT = 72 / DPI;

function drawText(doc: PDFKit.PDFDocument, registered: Set<string>, item: TextItem): void {
  const size = item.size * PT;
  let x = (item.centre ? item.x + (item.width - textWidthOf(item)) / 2 : item.x) * PT;
  const reference = fontChain(item.weight)[0]!.font;
  const baseline = item.y * PT + (reference.ascent / reference.unitsPerEm) * size;
  for (const run of fontRuns(item.text, item.weight)) {
    if (!registered.has(run.font.key)) {
      doc.registerFont(run.font.key, run.font.path);
      registered.add(run.font.key);
    }
    doc.font(run.font.key).fontSize(size);
    // pdfkit places text by its top (the font's ascent above the baseline): runs in fonts of
    // different ascent share the line's baseline, set by the first font of the chain.
    const top = baseline - (run.font.font.ascent / run.font.font.unitsPerEm) * size;
    doc.text(run.text, x, top, { lineBreak: false });
    x += doc.widthOfString(run.text);
  }
}

function drawPage(doc: PDFKit.PDFDocument, registered: Set<string>, page: LabelPage): void {
  for (const item of page.texts) drawText(doc, registered, item);
  for (const rule of page.rules) doc.rect(40 * PT, rule.y * PT, (WIDTH_DOTS - 80) * PT, rule.thickness * PT).fill('black');
  const { barcode } = page;
  let dot = barcode.x;
  barcode.modules.forEach((width, index) => {
    if (index % 2 === 0) doc.rect(dot * PT, barcode.y * PT, width * barcode.moduleDots * PT, barcode.height * PT).fill('black');
    dot += width * barcode.moduleDots;
  });
}

export function renderLabelPdf(content: LabelContent): Promise<Buffer> {
  const size: [number, number] = [WIDTH_DOTS * PT, HEIGHT_DOTS * PT];
  const doc = new PDFDocument({
    size,
    margin: 0,
    autoFirstPage: false,
    info: { Title: `Shipping label ${content.trackingNumber}`, Subject: content.trackingNumber, Creator: 'Fulcrum' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const registered = new Set<string>();
  for (const page of layoutLabel(content)) {
    doc.addPage({ size, margin: 0 });
    drawPage(doc, registered, page);
  }
  doc.end();
  return done;
}

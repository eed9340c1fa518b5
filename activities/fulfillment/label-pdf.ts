// Renders a 4×6 inch shipping label as a PDF: carrier and service, ship-from and ship-to,
// references, and the tracking number as a Code 128 barcode drawn as vector bars (crisp at
// any printer resolution). bwip-js does the symbology (code sets, check character); this
// module only lays the bars out.
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
export interface LabelContent {
  carrier: string;
  service: string;
  trackingNumber: string;
  shipFrom: string[];
  shipTo: { recipient: string; lines: string[] };
  /** References printed at the bottom: order, fulfillment or RMA. */
  references: string[];
}

const POINTS_PER_INCH = 72;
const WIDTH = 4 * POINTS_PER_INCH;
const HEIGHT = 6 * POINTS_PER_INCH;
const MARGIN = 14;

/** The bar and space widths (in modules, bar first) of the Code 128 symbol for `text`. */
export function code128Modules(text: string): number[] {
  const [symbol] = bwipjs.raw({ bcid: 'code128', text }) as { sbs: number[] }[];
  if (!symbol) throw new Error('bwip-js returned no symbol');
  return symbol.sbs;
}

export function renderLabelPdf(content: LabelContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [WIDTH, HEIGHT],
    margin: MARGIN,
    info: { Title: `Shipping label ${content.trackingNumber}`, Subject: content.trackingNumber, Creator: 'Fulcrum' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const inner = WIDTH - 2 * MARGIN;
  doc.font('Helvetica-Bold').fontSize(18).text(content.carrier.toUpperCase(), MARGIN, MARGIN, { width: inner });
  doc.font('Helvetica').fontSize(11).text(content.service.toUpperCase(), { width: inner });
  doc.moveTo(MARGIN, 62).lineTo(WIDTH - MARGIN, 62).lineWidth(1.5).stroke();

  doc.font('Helvetica').fontSize(8).text('FROM', MARGIN, 70);
  doc.fontSize(9).text(content.shipFrom.join(', '), MARGIN, 80, { width: inner, height: 22, ellipsis: true });

  doc.fontSize(8).text('SHIP TO', MARGIN, 104);
  doc.font('Helvetica-Bold').fontSize(13).text(content.shipTo.recipient, MARGIN, 114, { width: inner });
  doc.font('Helvetica').fontSize(12);
  for (const line of content.shipTo.lines) doc.text(line, { width: inner });
  doc.moveTo(MARGIN, 212).lineTo(WIDTH - MARGIN, 212).lineWidth(1.5).stroke();

  // The barcode: quiet zones of ten modules on both sides, bars 70 pt tall.
  const modules = code128Modules(content.trackingNumber);
  const totalModules = modules.reduce((s, m) => s + m, 0);
  const moduleWidth = Math.min(1.6, (inner - 20) / totalModules);
  let x = (WIDTH - totalModules * moduleWidth) / 2;
  const top = 226;
  modules.forEach((width, index) => {
    if (index % 2 === 0) doc.rect(x, top, width * moduleWidth, 70).fill('black');
    x += width * moduleWidth;
  });
  doc.fillColor('black').font('Helvetica-Bold').fontSize(12).text(content.trackingNumber, MARGIN, top + 76, { width: inner, align: 'center' });

  doc.font('Helvetica').fontSize(8);
  content.references.forEach((ref, i) => doc.text(ref, MARGIN, i === 0 ? 340 : undefined, { width: inner }));
  doc.end();
  return done;
}

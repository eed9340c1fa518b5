// A label in the format the printer takes: the 4×6 PDF (office and laser printers) or ZPL II
// (thermal printers at 203 dpi). The built-in gateway draws both when it buys; a carrier
// gateway gives the format the associate packed with (`labelFormat`), and only that one.
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { notFound, type ResponseSpec } from './route.ts';
import { ProblemError } from './problem.ts';
import type { RouteResult } from './route-result.ts';

export const LabelQuery = z
  .object({ format: z.enum(['pdf', 'zpl']).default('pdf').describe('pdf: a 4×6 inch page per package; zpl: ZPL II for 203 dpi thermal printers, a format per package') })
  .strict();

export const labelResponse: ResponseSpec = {
  description: 'The label, one page (PDF) or one format (ZPL) per package',
  contentTypes: ['application/pdf', 'application/zpl'],
};

export async function labelResult(deps: ApiDeps, id: string, format: 'pdf' | 'zpl', what: string): Promise<RouteResult> {
  if (format === 'zpl') {
    const zpl = await deps.labels.zpl(id);
    if (zpl === undefined) throw notFound(what, id);
    if (zpl === null) {
      const gateway = (await deps.labels.get(id))?.gateway;
      throw new ProblemError(404, gateway === 'karrio' ? `${what} ${id} was bought through Karrio as a PDF; the carrier gave no ZPL (?format=pdf).` : `${what} ${id} was bought before labels were drawn as ZPL too; its PDF is at ?format=pdf.`);
    }
    return { status: 200, body: zpl, contentType: 'application/zpl; charset=utf-8', headers: { 'Content-Disposition': `inline; filename="label-${id}.zpl"` } };
  }
  const pdf = await deps.labels.pdf(id);
  if (pdf === undefined) throw notFound(what, id);
  if (pdf === null) throw new ProblemError(404, `${what} ${id} was bought through Karrio as ZPL; the carrier gave no PDF (?format=zpl).`);
  return { status: 200, body: pdf, contentType: 'application/pdf', headers: { 'Content-Disposition': `inline; filename="label-${id}.pdf"` } };
}

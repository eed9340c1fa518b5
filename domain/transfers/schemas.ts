// Stock transfers between locations: requested → reserved → in_transit → received
// (or rejected when the source lacks the stock, or cancelled before shipping).
import { z } from 'zod';
import { ExternalId } from '../identifiers.ts';

export const TransferStatus = z.enum(['requested', 'reserved', 'in_transit', 'received', 'rejected', 'cancelled']);
export type TransferStatus = z.infer<typeof TransferStatus>;

export const CreateTransferRequest = z
  .object({
    fromLocationId: ExternalId,
    toLocationId: ExternalId,
    lines: z
      .array(z.object({ sku: ExternalId, quantity: z.int().min(1).max(1_000_000) }).strict())
      .min(1)
      .max(500),
    expectedAt: z.iso.datetime({ offset: true }).describe('When the units are expected at the destination'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.fromLocationId === t.toLocationId) {
      ctx.addIssue({ code: 'custom', path: ['toLocationId'], message: 'must differ from fromLocationId' });
    }
    const seen = new Set<string>();
    t.lines.forEach((line, index) => {
      if (seen.has(line.sku)) ctx.addIssue({ code: 'custom', path: ['lines', index, 'sku'], message: 'appears twice' });
      seen.add(line.sku);
    });
  });
export type CreateTransferRequest = z.infer<typeof CreateTransferRequest>;

export const Transfer = z.object({
  id: z.string(),
  fromLocationId: z.string(),
  toLocationId: z.string(),
  status: TransferStatus,
  expectedAt: z.string(),
  overdue: z.boolean(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.int(), shipped: z.int(), received: z.int() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  events: z.array(z.object({ at: z.string(), type: z.string(), detail: z.record(z.string(), z.unknown()) })),
});
export type Transfer = z.infer<typeof Transfer>;

export interface TransferWorkflowInput {
  transferId: string;
  createdAt: string;
  request: CreateTransferRequest;
}

export function initialTransfer(input: TransferWorkflowInput): Transfer {
  return {
    id: input.transferId,
    fromLocationId: input.request.fromLocationId,
    toLocationId: input.request.toLocationId,
    status: 'requested',
    expectedAt: new Date(input.request.expectedAt).toISOString(),
    overdue: false,
    lines: input.request.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, shipped: 0, received: 0 })),
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    events: [{ at: input.createdAt, type: 'transfer.requested', detail: {} }],
  };
}

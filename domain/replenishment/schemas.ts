// Replenishment as the API takes and gives it: a policy per location (its default) or per
// location and SKU, and the proposals the nightly plan makes from forecasts and stock, each
// with its reason in numbers.
import { z } from 'zod';
import { ExternalId } from '../identifiers.ts';
import { text } from '../text.ts';

export const ReplenishmentPolicyInput = z
  .object({
    sku: ExternalId.optional().describe("Leave out for the location's default, which every SKU without a policy of its own follows"),
    serviceLevel: z.number().min(0.5).max(0.999).describe('The service to plan for (see serviceMeasure); sizes the safety stock'),
    serviceMeasure: z
      .enum(['fill_rate', 'cycle'])
      .default('fill_rate')
      .describe('fill_rate: the share of demand served from the shelf (0.98: 98 of 100 units); cycle: the chance a replenishment cycle has no stock-out (0.95: z = 1.645)'),
    leadTimeDays: z.int().min(0).max(365).describe('Days from proposal to units on the shelf'),
    reviewPeriodDays: z.int().min(1).max(90).describe('Days of demand one replenishment covers beyond the lead time: fewer, larger orders when longer'),
    sourceLocationId: ExternalId.optional().describe('The location (a DC) transfers come from; left out, the shortfall is bought from the supplier'),
    supplier: text(128).optional().describe('Who purchases are proposed to (with a source, what the source cannot give is bought too)'),
    minQuantity: z.int().min(1).max(1_000_000).optional().describe("A purchase's minimum order quantity"),
    multiple: z.int().min(1).max(100_000).optional().describe('Purchases in multiples of this (a case pack)'),
    autoApprove: z.boolean().default(false).describe("The nightly plan approves this policy's proposals itself: transfers start, purchases are announced"),
  })
  .strict();
export type ReplenishmentPolicyInput = z.infer<typeof ReplenishmentPolicyInput>;

export const ReplenishmentPolicy = z.object({
  locationId: z.string(),
  sku: z.string().nullable().describe("null: the location's default"),
  serviceLevel: z.number(),
  serviceMeasure: z.enum(['fill_rate', 'cycle']),
  leadTimeDays: z.int(),
  reviewPeriodDays: z.int(),
  sourceLocationId: z.string().nullable(),
  supplier: z.string().nullable(),
  minQuantity: z.int().nullable(),
  multiple: z.int().nullable(),
  autoApprove: z.boolean(),
  updatedAt: z.string(),
});
export type ReplenishmentPolicy = z.infer<typeof ReplenishmentPolicy>;

export const ProposalReason = z.object({
  forecastMethod: z.string(),
  serviceLevel: z.number(),
  serviceMeasure: z.enum(['fill_rate', 'cycle']),
  z: z.number().describe('The safety factor: the normal quantile of a cycle service level, or the z whose expected shortage meets a fill rate'),
  leadTimeDays: z.int(),
  reviewPeriodDays: z.int(),
  demandOverLeadTime: z.number().describe('Forecast units over the lead time and the night until the next plan'),
  demandOverReviewPeriod: z.number().describe('Forecast units over the review period after that'),
  errorSdDaily: z.number().describe("The forecast's daily error standard deviation (from its backtest)"),
  safetyStock: z.number().describe('z × errorSdDaily × √(lead time + 1)'),
  reorderPoint: z.number().describe('demandOverLeadTime + safetyStock: a proposal is made when the position is at or below it'),
  orderUpTo: z.number().describe('reorderPoint + demandOverReviewPeriod: what a proposal fills the position up to'),
  onHand: z.int(),
  reserved: z.int(),
  incoming: z.int().describe('Units in open transfers to the location and approved purchases not yet due'),
  inventoryPosition: z.int().describe('onHand − reserved + incoming'),
  shortfall: z.int().describe('orderUpTo − inventoryPosition, rounded up'),
  sourceGave: z.int().describe('Of the shortfall, what the source location can spare (above its own reorder point)'),
  rebalanced: z.int().describe('Of the shortfall, what overstocked locations (above their order-up-to level) give'),
  purchased: z.int().describe('What is left to buy, after minQuantity and multiple'),
});
export type ProposalReason = z.infer<typeof ProposalReason>;

export const ProposalStatus = z.enum(['proposed', 'approved', 'superseded']);

export const ReplenishmentProposal = z.object({
  id: z.string(),
  locationId: z.string(),
  sku: z.string(),
  kind: z.enum(['transfer', 'purchase']),
  fromLocationId: z.string().nullable().describe('transfer: the source or the overstocked location'),
  supplier: z.string().nullable(),
  quantity: z.int(),
  status: ProposalStatus.describe('superseded: a later plan replaced it before approval'),
  autoApprove: z.boolean(),
  planningDay: z.string(),
  createdAt: z.string(),
  approvedAt: z.string().nullable(),
  transferId: z.string().nullable().describe('The transfer an approved transfer proposal started'),
  reason: ProposalReason,
});
export type ReplenishmentProposal = z.infer<typeof ReplenishmentProposal>;

// Replenishment policies and proposals, and what the nightly plan reads: each planned SKU's
// stock, what is coming to it (open transfers, approved purchases not yet due) and its stored
// forecast.
import { addDays } from '../../domain/forecasting/forecast.ts';
import type { PlanItem, PlannedProposal, PlanPolicy } from '../../domain/replenishment/plan.ts';
import type { ProposalReason, ReplenishmentPolicy, ReplenishmentPolicyInput, ReplenishmentProposal } from '../../domain/replenishment/schemas.ts';
import type { Db } from '../knex.ts';
import { appendEvents } from './outbox.ts';

interface PolicyRow {
  location_id: string;
  sku: string;
  service_level: number;
  service_measure: 'fill_rate' | 'cycle';
  lead_time_days: number;
  review_period_days: number;
  source_location_id: string | null;
  supplier: string | null;
  min_quantity: number | null;
  multiple: number | null;
  auto_approve: boolean;
  updated_at: Date;
}

interface ProposalRow {
  id: string;
  location_id: string;
  sku: string;
  kind: 'transfer' | 'purchase';
  from_location_id: string | null;
  supplier: string | null;
  quantity: number;
  status: ReplenishmentProposal['status'];
  auto_approve: boolean;
  planning_day: string;
  lead_time_days: number;
  reason: ProposalReason;
  created_at: Date;
  approved_at: Date | null;
  transfer_id: string | null;
}

const policyOf = (r: PolicyRow): ReplenishmentPolicy => ({
  locationId: r.location_id,
  sku: r.sku || null,
  serviceLevel: Number(r.service_level),
  serviceMeasure: r.service_measure,
  leadTimeDays: r.lead_time_days,
  reviewPeriodDays: r.review_period_days,
  sourceLocationId: r.source_location_id,
  supplier: r.supplier,
  minQuantity: r.min_quantity,
  multiple: r.multiple,
  autoApprove: r.auto_approve,
  updatedAt: r.updated_at.toISOString(),
});

const planPolicyOf = (p: ReplenishmentPolicy): PlanPolicy => ({
  serviceLevel: p.serviceLevel,
  serviceMeasure: p.serviceMeasure,
  leadTimeDays: p.leadTimeDays,
  reviewPeriodDays: p.reviewPeriodDays,
  sourceLocationId: p.sourceLocationId,
  supplier: p.supplier,
  minQuantity: p.minQuantity,
  multiple: p.multiple,
  autoApprove: p.autoApprove,
});

const proposalOf = (r: ProposalRow): ReplenishmentProposal & { leadTimeDays: number } => ({
  id: r.id,
  locationId: r.location_id,
  sku: r.sku,
  kind: r.kind,
  fromLocationId: r.from_location_id,
  supplier: r.supplier,
  quantity: r.quantity,
  status: r.status,
  autoApprove: r.auto_approve,
  planningDay: r.planning_day,
  createdAt: r.created_at.toISOString(),
  approvedAt: r.approved_at?.toISOString() ?? null,
  transferId: r.transfer_id,
  reason: r.reason,
  leadTimeDays: r.lead_time_days,
});

const proposalColumns = [
  'id',
  'location_id',
  'sku',
  'kind',
  'from_location_id',
  'supplier',
  'quantity',
  'status',
  'auto_approve',
  'lead_time_days',
  'reason',
  'created_at',
  'approved_at',
  'transfer_id',
] as const;

export function createReplenishmentRepository(db: Db) {
  const proposals = () => db('replenishment_proposals').select(...proposalColumns, db.raw(`to_char(planning_day, 'YYYY-MM-DD') AS planning_day`));

  return {
    async putPolicy(locationId: string, input: ReplenishmentPolicyInput): Promise<ReplenishmentPolicy> {
      const [row] = (await db('replenishment_policies')
        .insert({
          location_id: locationId,
          sku: input.sku ?? '',
          service_level: input.serviceLevel,
          service_measure: input.serviceMeasure,
          lead_time_days: input.leadTimeDays,
          review_period_days: input.reviewPeriodDays,
          source_location_id: input.sourceLocationId ?? null,
          supplier: input.supplier ?? null,
          min_quantity: input.minQuantity ?? null,
          multiple: input.multiple ?? null,
          auto_approve: input.autoApprove,
          updated_at: db.fn.now(),
        })
        .onConflict(['location_id', 'sku'])
        .merge()
        .returning('*')) as PolicyRow[];
      return policyOf(row!);
    },

    async policiesOf(locationId: string): Promise<ReplenishmentPolicy[]> {
      return ((await db('replenishment_policies').where({ location_id: locationId }).orderBy('sku')) as PolicyRow[]).map(policyOf);
    },

    async deletePolicy(locationId: string, sku: string | undefined): Promise<boolean> {
      return (await db('replenishment_policies').where({ location_id: locationId, sku: sku ?? '' }).delete()) > 0;
    },

    /**
     * Every SKU the plan looks at: at each location with a policy, the SKUs with a policy of their
     * own and (under the location's default) those it stocks or has a forecast for; and each
     * such SKU at the locations policies name as their source. As of `today`.
     */
    async planItems(today: string): Promise<PlanItem[]> {
      const policies = ((await db('replenishment_policies').select('*')) as PolicyRow[]).map(policyOf);
      if (policies.length === 0) return [];
      const own = new Map(policies.filter((p) => p.sku).map((p) => [`${p.locationId}|${p.sku}`, p]));
      const defaults = new Map(policies.filter((p) => !p.sku).map((p) => [p.locationId, p]));
      const planned = [...new Set(policies.map((p) => p.locationId))];
      const stocked = (await db.raw<{ rows: { location_id: string; sku: string }[] }>(
        `SELECT location_id, sku FROM inventory_levels WHERE location_id = ANY(?)
         UNION SELECT location_id, sku FROM forecasts WHERE location_id = ANY(?) AND channel = ''`,
        [planned, planned],
      )).rows;
      const pairs = new Map<string, { locationId: string; sku: string; policy: ReplenishmentPolicy | null }>();
      for (const p of policies.filter((p) => p.sku)) pairs.set(`${p.locationId}|${p.sku}`, { locationId: p.locationId, sku: p.sku!, policy: p });
      for (const r of stocked) {
        const key = `${r.location_id}|${r.sku}`;
        const policy = own.get(key) ?? defaults.get(r.location_id);
        if (policy && !pairs.has(key)) pairs.set(key, { locationId: r.location_id, sku: r.sku, policy });
      }
      for (const pair of [...pairs.values()]) {
        const source = pair.policy?.sourceLocationId;
        if (source && !pairs.has(`${source}|${pair.sku}`)) pairs.set(`${source}|${pair.sku}`, { locationId: source, sku: pair.sku, policy: null });
      }
      const list = [...pairs.values()];
      const locations = [...new Set(list.map((p) => p.locationId))];
      const skus = [...new Set(list.map((p) => p.sku))];
      const [levels, incoming, purchases, forecasts] = await Promise.all([
        db('inventory_levels').whereIn('location_id', locations).whereIn('sku', skus).select('location_id', 'sku', 'on_hand', 'reserved') as Promise<{ location_id: string; sku: string; on_hand: number; reserved: number }[]>,
        db.raw<{ rows: { location_id: string; sku: string; units: string }[] }>(
          `SELECT t.to_location_id AS location_id, l.sku, sum(l.quantity - l.received) AS units
             FROM transfers t JOIN transfer_lines l ON l.transfer_id = t.id
            WHERE t.status IN ('requested', 'reserved', 'in_transit') AND t.to_location_id = ANY(?)
            GROUP BY 1, 2`,
          [locations],
        ),
        db.raw<{ rows: { location_id: string; sku: string; units: string }[] }>(
          `SELECT location_id, sku, sum(quantity) AS units FROM replenishment_proposals
            WHERE kind = 'purchase' AND status = 'approved' AND approved_at + make_interval(days => lead_time_days) > now() AND location_id = ANY(?)
            GROUP BY 1, 2`,
          [locations],
        ),
        db('forecasts').whereIn('location_id', locations).where({ channel: '' }).whereIn('sku', skus).select('location_id', 'sku', 'method', 'daily', 'backtest', db.raw(`to_char(history_through, 'YYYY-MM-DD') AS history_through`)) as Promise<
          { location_id: string; sku: string; method: string; daily: { date: string; mean: number; p10: number; p90: number }[]; backtest: { errorSd?: number }; history_through: string }[]
        >,
      ]);
      const key = (r: { location_id: string; sku: string }) => `${r.location_id}|${r.sku}`;
      const level = new Map(levels.map((r) => [key(r), r]));
      const coming = new Map<string, number>();
      for (const r of [...incoming.rows, ...purchases.rows]) coming.set(key(r), (coming.get(key(r)) ?? 0) + Number(r.units));
      const forecastOf = new Map(forecasts.map((r) => [key(r), r]));
      return list.map(({ locationId, sku, policy }) => {
        const k = `${locationId}|${sku}`;
        const f = forecastOf.get(k);
        const daily = f ? f.daily.filter((d) => d.date >= today) : [];
        // Forecasts stored before errorSd was kept: the band's width says it (p10–p90 is 2.563 σ).
        const errorSd = f ? (f.backtest.errorSd ?? (f.daily[0] ? (f.daily[0].p90 - f.daily[0].p10) / 2.563 : 0)) : 0;
        return {
          locationId,
          sku,
          policy: policy && planPolicyOf(policy),
          forecast: f && daily.length ? { method: f.method, daily: daily.map((d) => d.mean), errorSd } : null,
          onHand: level.get(k)?.on_hand ?? 0,
          reserved: level.get(k)?.reserved ?? 0,
          incoming: coming.get(k) ?? 0,
        };
      });
    },

    /** Tonight's proposals replace every proposal not yet approved. */
    async replaceProposals(planningDay: string, planned: readonly (PlannedProposal & { id: string; leadTimeDays: number })[]): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('replenishment_proposals').where({ status: 'proposed' }).update({ status: 'superseded' });
        for (let i = 0; i < planned.length; i += 500) {
          await trx('replenishment_proposals').insert(
            planned.slice(i, i + 500).map((p) => ({
              id: p.id,
              location_id: p.locationId,
              sku: p.sku,
              kind: p.kind,
              from_location_id: p.fromLocationId,
              supplier: p.supplier,
              quantity: p.quantity,
              status: 'proposed',
              auto_approve: p.autoApprove,
              planning_day: planningDay,
              lead_time_days: p.leadTimeDays,
              reason: JSON.stringify(p.reason),
            })),
          );
        }
      });
    },

    async list(filter: { locationId?: string; status?: ReplenishmentProposal['status']; limit: number }): Promise<ReplenishmentProposal[]> {
      const rows = (await proposals()
        .modify((q) => (filter.locationId ? q.where({ location_id: filter.locationId }) : q))
        .modify((q) => (filter.status ? q.where({ status: filter.status }) : q))
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
        .limit(filter.limit)) as ProposalRow[];
      return rows.map((r) => {
        const { leadTimeDays: _, ...proposal } = proposalOf(r);
        return proposal;
      });
    },

    async get(id: string) {
      const row = (await proposals().where({ id }).first()) as ProposalRow | undefined;
      return row && proposalOf(row);
    },

    /** Marks a proposal approved (once), with its transfer or, for a purchase, the `replenishment.purchase_proposed` event. */
    async markApproved(id: string, transferId: string | null): Promise<boolean> {
      return db.transaction(async (trx) => {
        const [row] = (await trx('replenishment_proposals')
          .where({ id, status: 'proposed' })
          .update({ status: 'approved', approved_at: trx.fn.now(), transfer_id: transferId })
          .returning('*')) as ProposalRow[];
        if (!row) return false;
        if (row.kind === 'purchase') {
          await appendEvents(trx, [
            {
              eventId: `replenishment.purchase_proposed:${row.id}`,
              type: 'replenishment.purchase_proposed',
              orderId: null,
              data: {
                proposalId: row.id,
                locationId: row.location_id,
                sku: row.sku,
                quantity: row.quantity,
                supplier: row.supplier,
                expectedBy: addDays(new Date().toISOString().slice(0, 10), row.lead_time_days),
                reason: row.reason,
              },
            },
          ]);
        }
        return true;
      });
    },
  };
}

export type ReplenishmentRepository = ReturnType<typeof createReplenishmentRepository>;

// Routing profiles (versioned) and routing decisions.
import type { Db } from '../knex.ts';
import type { RoutingProfile, RoutingProfileInput } from '../../domain/sourcing/profile.ts';
import type { SourcingPlan } from '../../domain/sourcing/index.ts';
import type { RoutingRules, RoutingRulesInput } from '../../domain/sourcing/profile-rules.ts';

export interface RoutingDecision {
  orderId: string;
  attempt: number;
  profileId: string;
  profileVersion: number;
  decidedAt: string;
  plan: Omit<SourcingPlan, 'explanation'>;
  explanation: SourcingPlan['explanation'];
}

interface DbProfileRow {
  id: string;
  version: number;
  body: RoutingProfileInput;
  updated_at: Date;
}

function toProfile(row: DbProfileRow): RoutingProfile {
  return { ...row.body, id: row.id, version: row.version, updatedAt: row.updated_at.toISOString() };
}

export function createRoutingRepository(db: Db) {
  return {
    async listProfiles(): Promise<RoutingProfile[]> {
      return (await db<DbProfileRow>('routing_profiles').orderBy('id')).map(toProfile);
    },

    async getProfile(id: string): Promise<RoutingProfile | undefined> {
      const row = await db<DbProfileRow>('routing_profiles').where({ id }).first();
      return row ? toProfile(row) : undefined;
    },

    /** Saves a new version of a profile (the first is version 1); every version is kept. */
    async putProfile(id: string, body: RoutingProfileInput, actor: string | null): Promise<RoutingProfile> {
      return db.transaction(async (trx) => {
        const current = await trx<DbProfileRow>('routing_profiles').where({ id }).forUpdate().first();
        const version = (current?.version ?? 0) + 1;
        const values = { id, version, body: JSON.stringify(body), updated_at: new Date() };
        await trx('routing_profiles').insert(values).onConflict('id').merge(values);
        await trx('routing_profile_versions').insert({ id, version, body: JSON.stringify(body), actor });
        return { ...body, id, version, updatedAt: values.updated_at.toISOString() };
      });
    },

    /** The rules in force: the highest saved version (version 0, no rules, before the first save). */
    async rules(): Promise<RoutingRules> {
      const row = (await db('routing_rule_versions').orderBy('version', 'desc').first()) as { version: number; rules: RoutingRulesInput['rules']; created_at: Date } | undefined;
      return row ? { version: row.version, rules: row.rules, updatedAt: row.created_at.toISOString() } : { version: 0, rules: [] };
    },

    /** Saves the rules as a new version; the table lock makes concurrent saves take turns, so each gets its own version. */
    async putRules(body: RoutingRulesInput, actor: string | null): Promise<RoutingRules> {
      return db.transaction(async (trx) => {
        await trx.raw('LOCK TABLE routing_rule_versions IN SHARE ROW EXCLUSIVE MODE');
        const current = (await trx('routing_rule_versions').max('version as v').first()) as { v: number | null } | undefined;
        const version = (current?.v ?? 0) + 1;
        const [row] = (await trx('routing_rule_versions').insert({ version, rules: JSON.stringify(body.rules), actor }).returning('created_at')) as { created_at: Date }[];
        return { version, rules: body.rules, updatedAt: row!.created_at.toISOString() };
      });
    },

    async saveDecision(decision: Omit<RoutingDecision, 'decidedAt'>): Promise<void> {
      await db('routing_decisions')
        .insert({
          order_id: decision.orderId,
          attempt: decision.attempt,
          profile_id: decision.profileId,
          profile_version: decision.profileVersion,
          plan: JSON.stringify(decision.plan),
          explanation: JSON.stringify(decision.explanation),
        })
        .onConflict(['order_id', 'attempt'])
        .ignore();
    },

    async decisionsOf(orderId: string): Promise<RoutingDecision[]> {
      const rows = (await db('routing_decisions').where({ order_id: orderId }).orderBy('attempt')) as {
        order_id: string;
        attempt: number;
        profile_id: string;
        profile_version: number;
        plan: RoutingDecision['plan'];
        explanation: RoutingDecision['explanation'];
        decided_at: Date;
      }[];
      return rows.map((r) => ({
        orderId: r.order_id,
        attempt: r.attempt,
        profileId: r.profile_id,
        profileVersion: r.profile_version,
        decidedAt: r.decided_at.toISOString(),
        plan: r.plan,
        explanation: r.explanation,
      }));
    },

    /** Fulfillments already assigned to each location today (UTC day), for capacity rules. */
    async todayLoad(): Promise<Map<string, number>> {
      const rows = (await db('reservations')
        .where('created_at', '>=', db.raw("date_trunc('day', now())"))
        .whereNot('state', 'released')
        .groupBy('location_id')
        .select('location_id')
        .countDistinct({ orders: 'order_id' })) as { location_id: string; orders: number }[];
      return new Map(rows.map((r) => [r.location_id, Number(r.orders)]));
    },
  };
}

export type RoutingRepository = ReturnType<typeof createRoutingRepository>;

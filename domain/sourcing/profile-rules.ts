// Which profile routes an order, beyond channel and service level: rules on the customer's
// segment and the order's value ("VIP and orders over $500 ship the fastest way"), tried in
// order, the first match winning; an order no rule matches gets its market's profile, else the
// most specific profile by channel and service level (chooseProfile).
import { z } from 'zod';
import { text } from '../text.ts';
import { Money } from '../money.ts';
import { ChannelName } from '../identifiers.ts';
import { ServiceLevel } from '../orders/schemas.ts';
import { chooseProfile, DEFAULT_PROFILE, type RoutingProfile } from './profile.ts';

export const ProfileId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, "_" or "-"');

export const RoutingRule = z
  .object({
    when: z
      .object({
        segment: text(64).optional().describe("The customer's segment (customer.segment on the order), matched exactly"),
        orderValueAtLeast: Money.optional().describe("The order's merchandise value (unit price × quantity over its lines) at least this; orders in another currency do not match"),
        channels: z.array(ChannelName).min(1).max(100).optional(),
        serviceLevels: z.array(ServiceLevel).min(1).max(3).optional(),
      })
      .strict()
      .refine((w) => Object.keys(w).length > 0, 'must name at least one condition (segment, orderValueAtLeast, channels or serviceLevels)'),
    profileId: ProfileId,
  })
  .strict();
export type RoutingRule = z.infer<typeof RoutingRule>;

export const RoutingRulesInput = z.object({ rules: z.array(RoutingRule).max(100).describe('Tried in order; the first whose every condition holds chooses the profile') }).strict();
export type RoutingRulesInput = z.infer<typeof RoutingRulesInput>;

export const RoutingRules = RoutingRulesInput.extend({ version: z.int().describe('0 until the rules are first saved'), updatedAt: z.string().optional() });
export type RoutingRules = z.infer<typeof RoutingRules>;

/** What the rules look at. */
export interface ProfileQuestion {
  channel: string;
  serviceLevel: string;
  segment?: string;
  orderValue?: Money;
  /** The order's market and its default profile, chosen when no rule matches. */
  market?: { id: string; routingProfileId?: string | undefined };
}

/**
 * The question for an order or a cart, asked the same way wherever a profile is chosen (the
 * order's intake checks, routing and promises): unknown parts are left out, not undefined.
 */
export function profileQuestion(
  asked: { channel: string; serviceLevel: string; segment?: string | undefined; orderValue?: Money | undefined },
  market?: { id: string; routingProfileId?: string | undefined },
): ProfileQuestion {
  return {
    channel: asked.channel,
    serviceLevel: asked.serviceLevel,
    ...(asked.segment !== undefined ? { segment: asked.segment } : {}),
    ...(asked.orderValue ? { orderValue: asked.orderValue } : {}),
    ...(market ? { market: { id: market.id, routingProfileId: market.routingProfileId } } : {}),
  };
}

export interface ChosenProfile {
  profile: RoutingProfile;
  /** Why: the rule (1-based, with its conditions) or the profile's appliesTo. */
  chosenBy: string;
}

export function ruleMatches(rule: RoutingRule, q: ProfileQuestion): boolean {
  const w = rule.when;
  if (w.segment !== undefined && w.segment !== q.segment) return false;
  if (w.orderValueAtLeast && (!q.orderValue || q.orderValue.currency !== w.orderValueAtLeast.currency || q.orderValue.amount < w.orderValueAtLeast.amount)) return false;
  if (w.channels && !w.channels.includes(q.channel)) return false;
  if (w.serviceLevels && !w.serviceLevels.includes(q.serviceLevel as ServiceLevel)) return false;
  return true;
}

function describeRule(rule: RoutingRule, index: number): string {
  const w = rule.when;
  const parts = [
    ...(w.segment !== undefined ? [`segment ${w.segment}`] : []),
    ...(w.orderValueAtLeast ? [`order value at least ${w.orderValueAtLeast.amount} ${w.orderValueAtLeast.currency}`] : []),
    ...(w.channels ? [`channel ${w.channels.join('|')}`] : []),
    ...(w.serviceLevels ? [`service level ${w.serviceLevels.join('|')}`] : []),
  ];
  return `rule ${index + 1} (${parts.join(', ')})`;
}

/**
 * The profile for an order: the first matching rule's, else the most specific by channel and
 * service level. Saving the rules checks that each named profile exists; should one still be
 * missing (rules restored from an older database), that rule is passed over.
 */
export function chooseProfileFor(profiles: readonly RoutingProfile[], rules: readonly RoutingRule[], q: ProfileQuestion): ChosenProfile {
  const byId = new Map(profiles.map((p) => [p.id, p]));
  for (const [index, rule] of rules.entries()) {
    const profile = byId.get(rule.profileId);
    if (profile && ruleMatches(rule, q)) return { profile, chosenBy: describeRule(rule, index) };
  }
  const marketProfile = q.market?.routingProfileId ? byId.get(q.market.routingProfileId) : undefined;
  if (marketProfile) return { profile: marketProfile, chosenBy: `market ${q.market!.id}` };
  const profile = chooseProfile(profiles, q.channel, q.serviceLevel);
  return { profile, chosenBy: profile === DEFAULT_PROFILE ? 'built-in default' : 'appliesTo (channel and service level)' };
}

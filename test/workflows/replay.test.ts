// The replay check (scripts/lib/replay-histories.ts): every history ever committed — today's
// files and each earlier version in git — replays against the current workflow code without
// non-determinism. Record new histories with `npm run record-histories` (the scenario tests)
// or `npm run record-history` (one workflow of a running stack).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { historyVersions, replayVersions } from '../../scripts/lib/replay-histories.ts';
import * as orderDefinitions from '../../workflows/order/definitions.ts';
import * as fulfillmentDefinitions from '../../workflows/fulfillment/definitions.ts';
import * as returnDefinitions from '../../workflows/return/definitions.ts';
import * as transferDefinitions from '../../workflows/transfer/definitions.ts';

/** The signals and Updates each workflow type handles, from the definitions it registers. */
function handled(definitions: Record<string, unknown>): string[] {
  return Object.values(definitions)
    .filter((d): d is { type: string; name: string } => typeof d === 'object' && d !== null && ['signal', 'update'].includes((d as { type?: string }).type ?? ''))
    .map((d) => `${d.type}:${d.name}`);
}
const handledBy: Record<string, string[]> = {
  // The order receives its children's status signal (its definitions re-export it).
  orderWorkflow: [...handled(orderDefinitions)],
  // A fulfillment sends its status signal to its order and hears from the transfer it runs (a pickup by transfer).
  fulfillmentWorkflow: [
    ...handled(fulfillmentDefinitions).filter((n) => n !== `signal:${fulfillmentDefinitions.fulfillmentChangedSignal.name}`),
    `signal:${transferDefinitions.transferProgressSignal.name}`,
  ],
  returnWorkflow: handled(returnDefinitions),
  transferWorkflow: handled(transferDefinitions).filter((n) => n !== `signal:${transferDefinitions.transferProgressSignal.name}`),
};

const root = join(import.meta.dirname, '..', '..');
const { versions, fromGit } = historyVersions(root);

describe('workflow replay', () => {
  it('has committed histories of every workflow type to replay, and their earlier versions from git', () => {
    const types = new Set(versions.map((v) => /"workflowType":\{"name":"(\w+)"/.exec(v.json.replace(/\s/g, ''))?.[1]));
    expect([...types].sort()).toEqual(['fulfillmentWorkflow', 'operationsAlertsWorkflow', 'orderWorkflow', 'planningWorkflow', 'promiseHoldWorkflow', 'reservationReconciliationWorkflow', 'returnWorkflow', 'transferWorkflow']);
    if (!fromGit) console.warn('replay check: no git history here; only today’s histories are replayed');
  });

  it('exercise every signal and Update of every workflow type', () => {
    const seen = new Map<string, Set<string>>();
    for (const v of versions) {
      const events = (JSON.parse(v.json) as { events: Record<string, any>[] }).events;
      const type: string = events[0]!.workflowExecutionStartedEventAttributes.workflowType.name;
      const names = seen.get(type) ?? new Set<string>();
      seen.set(type, names);
      for (const e of events) {
        if (e.workflowExecutionSignaledEventAttributes) names.add(`signal:${e.workflowExecutionSignaledEventAttributes.signalName}`);
        if (e.workflowExecutionUpdateAcceptedEventAttributes) names.add(`update:${e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.name}`);
      }
    }
    expect(handledBy.orderWorkflow).toEqual(expect.arrayContaining(['update:hold', 'signal:retryRouting']));
    expect(handledBy.fulfillmentWorkflow).toEqual(expect.arrayContaining(['update:pick', 'signal:cancelFulfillment']));
    const missing = Object.entries(handledBy).flatMap(([type, names]) => names.filter((n) => !seen.get(type)?.has(n)).map((n) => `${type} ${n}`));
    expect(missing).toEqual([]);
  });

  it('replays every history version without non-determinism', async () => {
    const outcomes = await replayVersions(inject('workflowBundlePath'), versions);
    expect(outcomes).toHaveLength(versions.length);
    expect(outcomes.filter((o) => o.error)).toEqual([]);
  }, 300_000);
});

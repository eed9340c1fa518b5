// Refreshes markets' rate cards from their carrier gateway's live rates (issue 30): nightly for
// every market that buys through one, or for one market when ops ask. The work is one activity
// per market; a market that ships through the built-in gateway, or no longer exists, is refused
// without retrying.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { RateCardRefreshInput, RateCardRefreshResult } from './definitions.ts';

const { refreshMarketRateCards, marketsOnGateways } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '2 minutes', maximumAttempts: 5, nonRetryableErrorTypes: ['UnknownMarket', 'BuiltinGateway'] },
});

export async function rateCardRefreshWorkflow(input: RateCardRefreshInput = {}): Promise<RateCardRefreshResult> {
  const marketIds = input.marketId ? [input.marketId] : await marketsOnGateways();
  const markets: RateCardRefreshResult['markets'] = [];
  for (const marketId of marketIds) markets.push(await refreshMarketRateCards({ marketId }));
  return { markets };
}

// A promise's hold on stock ends by itself: the workflow sleeps until the hold expires, then
// releases whatever the promise still holds (nothing, when an order took the stock over).
// A durable timer, so a restart of the worker or the server does not forget the hold, and the
// time-skipping test server can skip the minutes.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { PromiseHoldInput } from './definitions.ts';

const { expirePromiseHold } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function promiseHoldWorkflow(input: PromiseHoldInput): Promise<{ state: string }> {
  const ms = Date.parse(input.expiresAt) - Date.now();
  if (ms > 0) await sleep(ms);
  return expirePromiseHold({ promiseId: input.promiseId });
}

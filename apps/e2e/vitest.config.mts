import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

// End-to-end tests start real processes from build output; they run one file at a time.
export default defineConfig(
  gantryVitest(import.meta.dirname, '@gantry/e2e', {
    include: ['src/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
  }),
);

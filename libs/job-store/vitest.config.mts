import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

// One test process for every file (isolate: false): the files import the same graph (pg, ioredis, the job
// state), which an isolated run evaluates again for each file. Every file makes its own schema and prefix.
const shared = gantryVitest(import.meta.dirname, '@gantry/job-store', { isolate: false });

// Vitest hands ssr.resolve.conditions to the test process as node --conditions; the shared list holds
// 'import', which makes CommonJS `require('pg-pool')` inside pg load pg-pool's ESM build and fail
// ("Class extends value [object Module]"). Vite adds import/require per import itself, so only the
// custom condition is needed here.
export default defineConfig({
  ...shared,
  ssr: { resolve: { conditions: ['@gantry/source', 'node'], externalConditions: ['@gantry/source'] } },
});

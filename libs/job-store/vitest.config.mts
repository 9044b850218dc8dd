import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

const shared = gantryVitest(import.meta.dirname, '@gantry/job-store');

// Vitest hands ssr.resolve.conditions to the test process as node --conditions; the shared list holds
// 'import', which makes CommonJS `require('pg-pool')` inside pg load pg-pool's ESM build and fail
// ("Class extends value [object Module]"). Vite adds import/require per import itself, so only the
// custom condition is needed here.
export default defineConfig({
  ...shared,
  ssr: { resolve: { conditions: ['@gantry/source', 'node'], externalConditions: ['@gantry/source'] } },
});

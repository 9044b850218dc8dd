import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

// One test process for every file (isolate: false): the files import the same graph (every job type's
// contract, its zod schemas built as it loads), which an isolated run evaluates again for each file. No
// file mocks, stubs or changes process.env.
export default defineConfig(gantryVitest(import.meta.dirname, '@gantry/contracts', { isolate: false }));

import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

// One test process for every file (isolate: false): the files import the same engine graph, which an
// isolated run evaluates again for each file. Tests build their own engines and models per file.
export default defineConfig(gantryVitest(import.meta.dirname, '@gantry/llm-worker', { isolate: false }));

import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

// One test process for every file (isolate: false): the files import the same runtime graph (bullmq,
// ioredis, the job state, the contracts), which an isolated run evaluates again for each file. Every file
// still starts its own workers on its own key prefix.
export default defineConfig(gantryVitest(import.meta.dirname, '@gantry/queue-runtime', { isolate: false }));

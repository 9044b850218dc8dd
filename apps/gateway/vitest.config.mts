import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

// One test process for every file (isolate: false): the gateway's files import the same large graph
// (express, bullmq, pg, the control plane), which an isolated run evaluates again for each of its 40-odd
// files. Every file still starts its own gateway, worker, schema and prefix.
export default defineConfig(gantryVitest(import.meta.dirname, '@gantry/gateway', { isolate: false }));

import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';

/** 5 MB of JSON: a step output worth keeping; larger results are blobs already. */
export const maxStoredJsonBytes = 5_000_000;

/** A pipeline step that keeps a value (an earlier step's output) as a JSON blob of the tenant. */
export const FlowStore = defineJob({
  type: 'flow.store',
  queue: 'flow',
  summary: 'Store a value (e.g. an earlier step’s output) as a JSON blob of the tenant',
  runs: 'event-loop',
  input: z.object({
    data: z.unknown().describe('Any JSON value; in a pipeline, usually `$steps.<id>.output`'),
    filename: z
      .string()
      .regex(/^[\w.-]{1,100}$/, 'a file name is letters, digits, ".", "_" or "-"')
      .default('output.json'),
  }),
  output: z.object({ blob: BlobRef }),
  defaults: { attempts: 3, timeoutMs: 30_000 },
  errors: ['FLOW_STORE_TOO_LARGE'],
  examples: [{ data: { summary: 'Invoice 42 is due on 1 March.' }, filename: 'summary.json' }],
});

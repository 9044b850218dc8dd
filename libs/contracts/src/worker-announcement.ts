import { z } from 'zod';
import { ModelInfo } from './model-info.js';

/** A job type as a worker announces it: enough for a gateway built without its contract. */
export const AnnouncedJobType = z.object({
  type: z.string(),
  queue: z.string(),
  summary: z.string(),
  input_schema: z.record(z.string(), z.unknown()),
  output_schema: z.record(z.string(), z.unknown()),
  defaults: z.object({ attempts: z.number(), backoff_ms: z.number(), timeout_ms: z.number() }),
  errors: z.array(z.string()),
  accepts: z.array(z.string()),
});
export type AnnouncedJobType = z.infer<typeof AnnouncedJobType>;

/** A worker's heartbeat: who it is, what it runs and whether it takes jobs. */
export const WorkerAnnouncement = z
  .object({
    id: z.string(),
    app: z.string(),
    version: z.string(),
    host: z.string(),
    pid: z.number().int(),
    queue: z.string(),
    concurrency: z.number().int().positive(),
    busy: z.number().int().nonnegative(),
    device: z.enum(['cpu', 'gpu']),
    state: z.enum(['starting', 'ready', 'not_ready', 'paused', 'draining']),
    state_reason: z.string().nullable(),
    models: z.array(ModelInfo),
    job_types: z.array(AnnouncedJobType),
    started_at: z.iso.datetime(),
    heartbeat_at: z.iso.datetime(),
  })
  .meta({ id: 'Worker' });
export type WorkerAnnouncement = z.infer<typeof WorkerAnnouncement>;

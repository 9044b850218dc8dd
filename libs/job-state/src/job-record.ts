import { JobObject, JobProgress } from '@gantry/contracts';
import { z } from 'zod';

/**
 * The one schema of a job as the services keep it: its Redis hash, its records-stream entries and its
 * PostgreSQL `jobs` row are all derived from it (see job-columns.ts). It is the wire JobObject of the
 * contracts less what the API derives (progress as one object, urls), plus what only the services see:
 * a field added to JobObject is stored, recorded and answered with no other edit but a migration.
 */
export const JobRecord = JobObject.omit({ progress: true, urls: true }).extend({
  tenant: z.string(),
  queue: z.string(),
  progress_pct: JobProgress.shape.pct,
  progress_message: JobProgress.shape.message,
  idempotency_key: z.string().nullable(),
  /** Bumped by every change: the recorder writes a row only over an older one. */
  seq: z.number().int().nonnegative(),
});
export type JobRecord = z.infer<typeof JobRecord>;

/**
 * Fields set once, when the job is created. The others may change afterwards: a status change's
 * records entry carries all of them as they are after the change, so the Postgres row is brought up
 * to date without reading the hash back, and an update leaves these alone (a large input's TOAST above
 * all). A new field is a changing one unless it is listed here.
 */
const jobCreationFields = [
  'id',
  'tenant',
  'type',
  'queue',
  'priority',
  'max_attempts',
  'input',
  'idempotency_key',
  'created_at',
  'expires_at',
  'webhook',
  'email',
] as const satisfies readonly (keyof JobRecord)[];

export type JobCreationField = (typeof jobCreationFields)[number];
export type JobStateField = Exclude<keyof JobRecord, JobCreationField | 'seq'>;

export const isCreationField = (name: string): name is JobCreationField =>
  (jobCreationFields as readonly string[]).includes(name);

export const jobStateFields = Object.keys(JobRecord.shape).filter(
  (name): name is JobStateField => name !== 'seq' && !isCreationField(name),
);

/** What a status change's records entry brings: the job's state fields after the change. */
export type JobChange = Pick<JobRecord, 'id' | 'seq' | JobStateField>;

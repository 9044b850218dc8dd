import type { BlobStore } from '@gantry/blob-store';
import {
  GantryError,
  type PipelineDefinition,
  type ScheduleTarget,
  toEmailTarget,
  toWebhookTarget,
} from '@gantry/contracts';
import type { JobProducer } from '@gantry/queue-runtime';
import { resolveBlobRefs } from '../blobs/resolve-blob-refs.js';
import type { InputCheck } from '../models/check-model-features.js';
import type { CatalogueEntry, ValidationIssue } from '../catalogue/catalogue-entry.js';
import type { JobCatalogue } from '../catalogue/job-catalogue.js';
import { checkFirstSteps } from '../pipelines/check-first-steps.js';
import { checkPipeline } from '../pipelines/check-pipeline.js';
import { findBuiltInPipeline } from '../pipelines/find-built-in-pipeline.js';
import { splitSuccessNotify } from '../pipelines/split-success-notify.js';
import type { PipelineRuns } from '../pipelines/pipeline-runs.js';
import type { Schedule } from './schedule-store.js';

export interface ScheduledJobDeps {
  catalogue: JobCatalogue;
  refreshCatalogue: () => Promise<void>;
  producer: JobProducer;
  runs: PipelineRuns;
  /** Where the blobs a target names by `{ "blob_id" }` are looked up (the schedule's tenant's only). */
  blobs: BlobStore;
  /** Checks beyond the job type's schema, as at `POST /v1/jobs`: a scoring job's features against its model's. */
  checkInput: InputCheck;
}

type CheckDeps = Pick<ScheduledJobDeps, 'catalogue' | 'refreshCatalogue' | 'blobs' | 'checkInput'>;

/**
 * A target as it runs: a job type and its parsed input, or a checked pipeline definition; and `target`,
 * the target as given with each blob it names filled in to the stored blob's full reference.
 */
export type ResolvedTarget = { target: ScheduleTarget } & (
  | { entry: CatalogueEntry; input: unknown }
  | { pipeline: PipelineDefinition; input: Record<string, unknown> }
);

/**
 * The target's job type and its input as the contract parses it (or its pipeline, checked), or the error
 * a submission would get, its paths under `target`. Checked when the schedule is created and again at
 * every tick (the catalogue may have moved on). A blob the input names by id must be the tenant's and
 * stored (`BLOB_NOT_FOUND`), of a type the job reads (`UNSUPPORTED_MEDIA_TYPE`), as for `POST /v1/jobs`; a
 * scoring job's transactions must carry its model version's features (`VALIDATION_FAILED`). A pipeline's
 * first steps must take the input as a run's must at `POST /v1/pipelines` (checkFirstSteps).
 */
export async function resolveTarget(
  target: ScheduleTarget,
  tenant: string,
  deps: CheckDeps,
): Promise<ResolvedTarget> {
  const entryFor = (type: string) => deps.catalogue.resolve(type, deps.refreshCatalogue);
  const blobs = { tenant, blobs: deps.blobs, path: ['target', 'input'] };
  if ('pipeline' in target) {
    const definition =
      typeof target.pipeline === 'string' ? findBuiltInPipeline(target.pipeline) : target.pipeline;
    const checked = await checkPipeline(definition, entryFor, ['target', 'pipeline']);
    const input = await resolveBlobRefs(target.input, { ...blobs, fields: Object.keys(target.input) });
    await checkFirstSteps({ pipeline: checked.definition, input }, entryFor, ['target']);
    return { pipeline: checked.definition, input, target: { ...target, input } };
  }
  const entry = await entryFor(target.type);
  if (!entry) {
    throw new GantryError('UNKNOWN_JOB_TYPE', `unknown job type "${target.type}"`, {
      details: { known_types: deps.catalogue.list().map((known) => known.type) },
    });
  }
  const input = await resolveBlobRefs(target.input, {
    ...blobs,
    fields: entry.blobFields,
    accepts: entry.accepts,
    type: entry.type,
  });
  const result = entry.validate(input);
  const underInput = (issues: ValidationIssue[]) =>
    issues.map((issue) => ({ ...issue, path: ['target', 'input', ...issue.path] }));
  if (!result.ok) {
    throw new GantryError('VALIDATION_FAILED', `input does not match the "${entry.type}" schema`, {
      details: { issues: underInput(result.issues) },
    });
  }
  const problem = await deps.checkInput(entry.type, result.value);
  if (problem) {
    throw new GantryError('VALIDATION_FAILED', problem.message, {
      details: { issues: underInput(problem.issues) },
    });
  }
  return { entry, input: result.value, target: { ...target, input } };
}

/**
 * A tick's job (or pipeline run): submitted like `POST /v1/jobs/{type}` (`POST /v1/pipelines…`) with an
 * Idempotency-Key of the schedule and the tick, so a tick retried (a gateway lost mid-tick, BullMQ's own
 * retry) still makes one job.
 */
export function runScheduledJob(deps: ScheduledJobDeps) {
  return async (schedule: Schedule, tickMs: number): Promise<{ jobId: string }> => {
    const { target } = schedule;
    const resolved = await resolveTarget(target, schedule.tenant, deps);
    const key = `schedule:${schedule.id}:${tickMs}`;
    const notify = {
      ...(target.webhook ? { webhook: toWebhookTarget(target.webhook) } : {}),
      ...(target.email ? { email: toEmailTarget(target.email) } : {}),
    };
    const common = {
      tenant: schedule.tenant,
      ...(target.priority === undefined ? {} : { priority: target.priority }),
    };
    if ('pipeline' in resolved) {
      // As `POST /v1/pipelines/{name}` does: a pipeline that reports its success from a step gets that share.
      const split = resolved.pipeline.reports_success
        ? splitSuccessNotify(notify)
        : { run: notify, input: {} };
      const { id } = await deps.runs.submit({
        ...common,
        ...split.run,
        definition: resolved.pipeline,
        input: { ...resolved.input, ...split.input },
        idempotencyKey: key,
      });
      return { jobId: id };
    }
    const { record } = await deps.producer.submit({
      ...common,
      ...notify,
      type: resolved.entry.type,
      queue: resolved.entry.queue,
      defaults: resolved.entry.defaults,
      input: resolved.input,
      idempotency: { key, bodyHash: schedule.id },
    });
    return { jobId: record.id };
  };
}

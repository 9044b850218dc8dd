import { GantryError, toEmailTarget, toWebhookTarget } from '@gantry/contracts';
import type { JobProducer } from '@gantry/queue-runtime';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import type { JobCatalogue } from '../catalogue/job-catalogue.js';
import type { ScheduleTarget } from './schedule-request.js';
import type { Schedule } from './schedule-store.js';

export interface ScheduledJobDeps {
  catalogue: JobCatalogue;
  refreshCatalogue: () => Promise<void>;
  producer: JobProducer;
}

type JobTarget = Extract<ScheduleTarget, { type: string }>;

/**
 * The target's job type and its input as the contract parses it, or the error a submission would get,
 * its paths under `target`. Checked when the schedule is created and again at every tick (the catalogue
 * may have moved on). A pipeline target names no pipeline that exists yet.
 */
export async function resolveJobTarget(
  target: ScheduleTarget,
  deps: Omit<ScheduledJobDeps, 'producer'>,
): Promise<{ entry: CatalogueEntry; target: JobTarget; input: unknown }> {
  if (!('type' in target)) {
    throw new GantryError('VALIDATION_FAILED', `no pipeline "${target.pipeline}"`, {
      details: {
        issues: [{ path: ['target', 'pipeline'], message: 'unknown pipeline', code: 'invalid_value' }],
      },
    });
  }
  const entry = await deps.catalogue.resolve(target.type, deps.refreshCatalogue);
  if (!entry) {
    throw new GantryError('UNKNOWN_JOB_TYPE', `unknown job type "${target.type}"`, {
      details: { known_types: deps.catalogue.list().map((known) => known.type) },
    });
  }
  const result = entry.validate(target.input);
  if (!result.ok) {
    throw new GantryError('VALIDATION_FAILED', `input does not match the "${entry.type}" schema`, {
      details: {
        issues: result.issues.map((issue) => ({ ...issue, path: ['target', 'input', ...issue.path] })),
      },
    });
  }
  return { entry, target, input: result.value };
}

/**
 * A tick's job: submitted like `POST /v1/jobs/{type}` with an Idempotency-Key of the schedule and the
 * tick, so a tick retried (a gateway lost mid-tick, BullMQ's own retry) still makes one job.
 */
export function runScheduledJob(deps: ScheduledJobDeps) {
  return async (schedule: Schedule, tickMs: number): Promise<{ jobId: string }> => {
    const { entry, target, input } = await resolveJobTarget(schedule.target, deps);
    const { record } = await deps.producer.submit({
      tenant: schedule.tenant,
      type: entry.type,
      queue: entry.queue,
      defaults: entry.defaults,
      input,
      ...(target.priority === undefined ? {} : { priority: target.priority }),
      ...(target.webhook ? { webhook: toWebhookTarget(target.webhook) } : {}),
      ...(target.email ? { email: toEmailTarget(target.email) } : {}),
      idempotency: { key: `schedule:${schedule.id}:${tickMs}`, bodyHash: schedule.id },
    });
    return { jobId: record.id };
  };
}

import { hash } from 'node:crypto';
import type { BlobStore } from '@gantry/blob-store';
import {
  type EmailTarget,
  GantryError,
  isTerminal,
  type PipelineDefinition,
  type PipelineRunObject,
  type JobObject,
  type WebhookTarget,
} from '@gantry/contracts';
import type { JobRepository } from '@gantry/job-store';
import type { JobProducer } from '@gantry/queue-runtime';
import { resolveBlobRefs } from '../blobs/resolve-blob-refs.js';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import type { JobReader } from '../jobs/job-reader.js';
import { checkFirstSteps } from './check-first-steps.js';
import { cancelStepJobs, pipelineJobType, pipelineQueue } from './pipeline-orchestrator.js';
import { endedRunSteps, readPipelineState, type RunInput } from './pipeline-state.js';
import { stepJobReader } from './read-step-jobs.js';

export interface PipelineRunsDeps {
  producer: JobProducer;
  repository: JobRepository;
  reader: JobReader;
  blobs: BlobStore;
  entryFor: (type: string) => Promise<CatalogueEntry | undefined>;
}

export interface StartRun {
  /** A derived id (a batch item's); a random one otherwise. */
  id?: string;
  tenant: string;
  definition: PipelineDefinition;
  input: Record<string, unknown>;
  priority?: number;
  expiresIn?: number;
  traceId?: string;
  idempotencyKey?: string;
  /** Notify on the run's own statuses (its steps notify no one). */
  webhook?: WebhookTarget;
  email?: EmailTarget;
}

/**
 * A run's look at each step is made by a job of the `pipelines` queue; its attempts are the looks that
 * may fail in a row (Redis or PostgreSQL away) before the run fails.
 */
const runDefaults = { attempts: 5, backoffMs: 1_000, timeoutMs: 60_000 };

/** Pipeline runs as the API sees them: started, read with their steps, canceled. */
export class PipelineRuns {
  constructor(private readonly deps: PipelineRunsDeps) {}

  /** Creates a run for a request, refusing one whose first steps could not take the run's input. */
  async start(run: StartRun): Promise<{ run: PipelineRunObject; created: boolean }> {
    const stored = await this.stored(run);
    await checkFirstSteps(stored, this.deps.entryFor);
    const { id, created } = await this.create(run, stored);
    const view = await this.get(run.tenant, id);
    if (!view) throw new GantryError('INTERNAL', `pipeline run ${id} vanished as it was created`);
    return { run: view, created };
  }

  /**
   * Creates the run (its first look is queued); answers its id. A batch item whose first step cannot
   * take its input fails as that item; a schedule checks its target at each tick first (resolveTarget).
   */
  async submit(run: StartRun): Promise<{ id: string; created: boolean }> {
    return this.create(run, await this.stored(run));
  }

  /**
   * What the run's job keeps: the definition and the input, each top-level `{ "blob_id" }` of which
   * becomes the tenant's stored blob's full reference.
   */
  private async stored(run: StartRun): Promise<RunInput> {
    const input = await resolveBlobRefs(run.input, {
      fields: Object.keys(run.input),
      tenant: run.tenant,
      blobs: this.deps.blobs,
      path: ['input'],
    });
    return { pipeline: run.definition, input };
  }

  private async create(run: StartRun, stored: RunInput): Promise<{ id: string; created: boolean }> {
    const { record, created } = await this.deps.producer.submit({
      ...(run.id ? { id: run.id } : {}),
      tenant: run.tenant,
      type: pipelineJobType,
      queue: pipelineQueue,
      defaults: runDefaults,
      input: stored,
      ...(run.priority === undefined ? {} : { priority: run.priority }),
      ...(run.expiresIn === undefined ? {} : { expiresInSeconds: run.expiresIn }),
      ...(run.traceId ? { traceId: run.traceId } : {}),
      ...(run.webhook ? { webhook: run.webhook } : {}),
      ...(run.email ? { email: run.email } : {}),
      ...(run.idempotencyKey
        ? { idempotency: { key: run.idempotencyKey, bodyHash: bodyHash(stored, run) } }
        : {}),
    });
    return { id: record.id, created };
  }

  async get(tenant: string, id: string): Promise<PipelineRunObject | null> {
    const job = await this.deps.reader.get(tenant, id);
    if (!job || job.type !== pipelineJobType) return null;
    return this.view(tenant, job);
  }

  /** Cancels the run, then every step job of it that has not ended; false when the run had ended. */
  async cancel(tenant: string, id: string): Promise<{ canceled: boolean; run: PipelineRunObject | null }> {
    const job = await this.deps.reader.get(tenant, id);
    if (!job || job.type !== pipelineJobType) return { canceled: false, run: null };
    const result = await this.deps.producer.cancel(id);
    // Read after the run is marked: a step created before the mark is seen here, one created after it
    // is canceled by the orchestrator, which checks the run after creating steps.
    const states = await readPipelineState(id, job.input as RunInput, this.stepJobs(tenant));
    await cancelStepJobs(this.deps.producer, states);
    return { canceled: result.applied, run: await this.get(tenant, id) };
  }

  private stepJobs(tenant: string) {
    return stepJobReader(this.deps.producer.store, this.deps.repository, tenant);
  }

  private async view(tenant: string, job: JobObject): Promise<PipelineRunObject> {
    const run = job.input as RunInput;
    const read = await readPipelineState(job.id, run, this.stepJobs(tenant));
    const states = isTerminal(job.status) ? endedRunSteps(read, job.error) : read;
    const base = `/v1/pipeline-runs/${job.id}`;
    return {
      id: job.id,
      pipeline: { name: run.pipeline.name ?? null, version: run.pipeline.version ?? null },
      status: job.status,
      progress: job.progress,
      input: run.input,
      output: job.output,
      error: job.error,
      steps: states.map((state) => ({
        id: state.step.id,
        type: state.step.type,
        status: state.status,
        jobs: state.jobs.map((stepJob) => ({ id: stepJob.id, status: stepJob.status })),
        output: state.output,
        error: state.error,
      })),
      webhook: job.webhook,
      email: job.email,
      created_at: job.created_at,
      started_at: job.started_at,
      completed_at: job.completed_at,
      urls: { get: base, cancel: `${base}/cancel`, events: `/v1/jobs/${job.id}/events` },
    };
  }
}

/**
 * Same Idempotency-Key and same definition, input, `expires_in` and notifications ⇒ same run; files count
 * by content. `expires_in` is left out when absent, so hashes of requests without it are as they were.
 */
function bodyHash(stored: RunInput, { priority, expiresIn, webhook, email }: StartRun): string {
  const canonical = JSON.stringify(
    {
      run: stored,
      priority: priority ?? null,
      ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
      ...(webhook ? { webhook } : {}),
      ...(email ? { email } : {}),
    },
    (key, value: unknown) => (key === 'blob_id' ? undefined : value),
  );
  return hash('sha256', canonical);
}

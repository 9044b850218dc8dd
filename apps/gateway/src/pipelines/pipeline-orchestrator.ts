import { type ErrorInfo, GantryError, isTerminal, type JobStatus } from '@gantry/contracts';
import type { JobRepository } from '@gantry/job-store';
import type { JobRecord } from '@gantry/job-state';
import type { Logger } from '@gantry/observability';
import type { FlowStep, JobPayload, JobProducer } from '@gantry/queue-runtime';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { checkStepInput } from './check-step-input.js';
import { resolveMapping } from './pipeline-reference.js';
import {
  allStepsEnded,
  readPipelineState,
  type RunInput,
  runProgress,
  type StepState,
} from './pipeline-state.js';
import { stepJobReader } from './read-step-jobs.js';

/** The queue of pipeline runs (each run is a job of type `pipeline` there) and the run's job type. */
export const pipelineQueue = 'pipelines';
export const pipelineJobType = 'pipeline';

export interface OrchestratorDeps {
  producer: JobProducer;
  repository: JobRepository;
  entryFor: (type: string) => Promise<CatalogueEntry | undefined>;
  logger: Logger;
}

const failures: readonly string[] = ['failed', 'timed_out', 'canceled', 'expired'];

/**
 * Moves pipeline runs on. Each look reads the run and its steps' jobs, starts the steps that can start,
 * and ends the run when its steps have; the flow worker calls it again whenever step jobs end.
 */
export class PipelineOrchestrator {
  constructor(private readonly deps: OrchestratorDeps) {}

  advance = async (payload: JobPayload): Promise<FlowStep> => {
    const { store } = this.deps.producer;
    const run = await store.get(payload.id);
    if (!run || isTerminal(run.status)) return 'done';
    if (run.status !== 'running') await store.markRunning(run.id, 1, 'pipeline-orchestrator');
    const runInput = run.input as RunInput;
    const states = await readPipelineState(
      run.id,
      runInput,
      stepJobReader(store, this.deps.repository, run.tenant),
    );
    const broken = states.find(
      (state) =>
        state.inputError !== null ||
        (state.step.on_failure === 'fail_run' && failures.includes(state.status)),
    );
    if (broken) {
      await this.fail(run, states, stepFailure(broken));
      return 'done';
    }
    if (allStepsEnded(states)) {
      // The last report said the steps before the last one were done: a progress bar (SSE, the SDK's
      // onProgress) ends at 100 %, and the run's message says all its steps are.
      await store.progress(run.id, 100, `${states.length}/${states.length} steps done`);
      await store.markSucceeded(run.id, runOutput(run.id, runInput, states), null);
      return 'done';
    }
    const started: string[] = [];
    for (const state of states) {
      if (state.toStart.length === 0) continue;
      const entry = await this.deps.entryFor(state.step.type);
      if (!entry) {
        await this.fail(
          run,
          states,
          new GantryError(
            'PIPELINE_STEP_TYPE_MISSING',
            `step "${state.step.id}": no job type "${state.step.type}" is available any more`,
            { details: { step: state.step.id, missing_types: [state.step.type] } },
          ).toInfo(),
        );
        return 'done';
      }
      for (const job of state.toStart) {
        const checked = checkStepInput(entry, job.input);
        if (!checked.ok) {
          await this.fail(
            run,
            states,
            new GantryError(
              'PIPELINE_STEP_INPUT_INVALID',
              `step "${state.step.id}": its input does not match "${entry.type}"`,
              // The job was not created: a fan-out's element is named by its index.
              {
                details: {
                  step: state.step.id,
                  ...(job.item === undefined ? {} : { item: job.item }),
                  issues: checked.issues,
                },
              },
            ).toInfo(),
          );
          return 'done';
        }
        const { retry, timeout_ms } = state.step;
        await this.deps.producer.submit({
          id: job.id,
          tenant: run.tenant,
          type: entry.type,
          queue: entry.queue,
          defaults: {
            attempts: retry?.attempts ?? entry.defaults.attempts,
            backoffMs: retry?.backoff_ms ?? entry.defaults.backoffMs,
            timeoutMs: timeout_ms ?? entry.defaults.timeoutMs,
          },
          input: checked.value,
          ...(run.priority === null ? {} : { priority: run.priority }),
          parent: { id: run.id, queue: pipelineQueue },
        });
        started.push(job.id);
      }
    }
    // A cancel that came while the steps were being created missed them: they are canceled here.
    if (started.length > 0 && (await store.statuses([run.id]))[0] !== 'running') {
      await Promise.all(started.map((id) => this.deps.producer.cancel(id).catch(() => undefined)));
      return 'done';
    }
    const progress = runProgress(states);
    if (progress.pct !== run.progress_pct || progress.message !== run.progress_message) {
      await store.progress(run.id, progress.pct, progress.message);
    }
    return 'waiting';
  };

  /** A run whose looks kept failing ends failed, and so do its steps. */
  giveUp = async (payload: JobPayload, error: ErrorInfo): Promise<void> => {
    const run = await this.deps.producer.store.get(payload.id);
    if (!run || isTerminal(run.status)) return;
    const states = await readPipelineState(
      run.id,
      run.input as RunInput,
      stepJobReader(this.deps.producer.store, this.deps.repository, run.tenant),
    );
    await this.fail(run, states, error);
  };

  private async fail(run: JobRecord, states: readonly StepState[], error: ErrorInfo): Promise<void> {
    await this.deps.producer.store.markEnded(run.id, 'failed', error, ['queued', 'running', 'retrying']);
    await cancelStepJobs(this.deps.producer, states);
    this.deps.logger.info({ runId: run.id, code: error.code }, 'pipeline run failed');
  }
}

/** Cancels every step job of a run that has not ended (engines are killed as for any job). */
export async function cancelStepJobs(producer: JobProducer, states: readonly StepState[]): Promise<void> {
  const live = states.flatMap((state) => state.jobs).filter((job) => !isTerminal(job.status as JobStatus));
  await Promise.all(live.map((job) => producer.cancel(job.id).catch(() => undefined)));
}

/** The run's error: the failed step's own, its message and details naming the step. */
function stepFailure(state: StepState): ErrorInfo {
  if (state.inputError !== null) {
    return new GantryError('PIPELINE_STEP_INPUT_INVALID', `step "${state.step.id}": ${state.inputError}`, {
      details: { step: state.step.id },
    }).toInfo();
  }
  const cause = state.error ?? new GantryError('JOB_CANCELED', 'the step ended without output').toInfo();
  const failedJob = state.jobs.find((job) => job.status !== 'succeeded' && isTerminal(job.status));
  return {
    ...cause,
    message: `step "${state.step.id}" (${state.step.type}) ${state.status}: ${cause.message}`,
    details: { ...cause.details, step: state.step.id, job_id: failedJob?.id ?? null },
  };
}

/** The run's output: its `output` mapping over the steps that succeeded, else the last step's output. */
function runOutput(runId: string, run: RunInput, states: readonly StepState[]): unknown {
  const outputs = new Map(states.filter((s) => s.status === 'succeeded').map((s) => [s.step.id, s.output]));
  if (run.pipeline.output) {
    return resolveMapping(run.pipeline.output, { run: { id: runId }, input: run.input, steps: outputs });
  }
  return states[states.length - 1]?.output ?? null;
}

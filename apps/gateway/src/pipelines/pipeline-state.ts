import {
  type ErrorInfo,
  isTerminal,
  type JobStatus,
  type PipelineDefinition,
  type PipelineStep,
  type StepStatus,
} from '@gantry/contracts';
import { resolveMapping } from './pipeline-reference.js';
import { stepNeeds } from './step-needs.js';

/** What a run job keeps as its input: the definition it runs (checked at submission) and the run's input. */
export interface RunInput {
  pipeline: PipelineDefinition;
  input: Record<string, unknown>;
}

export interface StepJob {
  id: string;
  status: JobStatus;
  output: unknown;
  error: ErrorInfo | null;
}

export interface PlannedJob {
  id: string;
  input: unknown;
  item?: number;
}

export interface StepState {
  step: PipelineStep;
  status: StepStatus;
  jobs: StepJob[];
  output: unknown;
  error: ErrorInfo | null;
  /** Jobs of a ready step that do not exist yet, with the input each gets (and its `for_each` element's index). */
  toStart: PlannedJob[];
  /** Set when the step was ready but its `for_each` did not lead to a list. */
  inputError: string | null;
}

/** A step's job: one per step, one per element of a `for_each` step; the ids follow from the run's. */
const stepJobId = (runId: string, stepId: string, index?: number) =>
  index === undefined ? `${runId}.${stepId}` : `${runId}.${stepId}.${index}`;

const ended = (status: StepStatus) =>
  status !== 'pending' && (status === 'skipped' || isTerminal(status as JobStatus));

/**
 * Where a run stands, read from its steps' jobs alone: which jobs exist (their ids follow from the run id,
 * the step and the element), what they output, and what can start now. Nothing else is kept, so any
 * gateway, at any time, reads the same state — the orchestration survives a restart at any point.
 */
export async function readPipelineState(
  runId: string,
  run: RunInput,
  readJobs: (ids: readonly string[]) => Promise<(StepJob | null)[]>,
): Promise<StepState[]> {
  const needs = stepNeeds(run.pipeline);
  const states = new Map<string, StepState>();
  const outputs = new Map<string, unknown>();
  for (const step of ordered(run.pipeline, needs)) {
    const deps = (needs.get(step.id) ?? []).map((id) => states.get(id));
    const blank: StepState = {
      step,
      status: 'pending',
      jobs: [],
      output: null,
      error: null,
      toStart: [],
      inputError: null,
    };
    if (deps.some((dep) => dep && dep.status !== 'succeeded' && ended(dep.status))) {
      states.set(step.id, { ...blank, status: 'skipped' });
      continue;
    }
    if (deps.some((dep) => dep?.status !== 'succeeded')) {
      states.set(step.id, blank);
      continue;
    }
    const scope = { run: { id: runId }, input: run.input, steps: outputs };
    let planned: PlannedJob[];
    if (step.for_each === undefined) {
      planned = [{ id: stepJobId(runId, step.id), input: resolveMapping(step.input, scope) }];
    } else {
      const list = resolveMapping(step.for_each, scope);
      if (!Array.isArray(list)) {
        states.set(step.id, {
          ...blank,
          status: 'failed',
          inputError: `for_each "${step.for_each}" is not a list`,
        });
        continue;
      }
      planned = list.map((item, i) => ({
        id: stepJobId(runId, step.id, i),
        input: resolveMapping(step.input, { ...scope, item }),
        item: i,
      }));
    }
    const found = await readJobs(planned.map((job) => job.id));
    const jobs = found.filter((job): job is StepJob => job !== null);
    const toStart = planned.filter((_, i) => found[i] === null);
    const state = { ...blank, jobs, toStart, ...outcome(step, jobs, toStart.length) };
    states.set(step.id, state);
    if (state.status === 'succeeded') outputs.set(step.id, state.output);
  }
  return run.pipeline.steps.map((step) => states.get(step.id) as StepState);
}

function outcome(
  step: PipelineStep,
  jobs: readonly StepJob[],
  notStarted: number,
): Pick<StepState, 'status' | 'output' | 'error'> {
  const bad = jobs.find((job) => isTerminal(job.status) && job.status !== 'succeeded');
  const allEnded = notStarted === 0 && jobs.every((job) => isTerminal(job.status));
  // A step that fails the run fails with its first failed job; one that lets the run go on ends once all of its jobs have.
  if (bad && (allEnded || step.on_failure === 'fail_run')) {
    return { status: bad.status as StepStatus, output: null, error: bad.error };
  }
  if (allEnded) {
    const output = step.for_each === undefined ? (jobs[0]?.output ?? null) : jobs.map((job) => job.output);
    return { status: 'succeeded', output, error: null };
  }
  const running = jobs.some((job) => job.status === 'running' || job.status === 'retrying');
  return { status: running ? 'running' : 'queued', output: null, error: null };
}

/** The steps with each after the steps it needs (the definition was checked for cycles). */
function ordered(
  definition: PipelineDefinition,
  needs: ReadonlyMap<string, readonly string[]>,
): PipelineStep[] {
  const done = new Set<string>();
  const order: PipelineStep[] = [];
  const visit = (step: PipelineStep) => {
    if (done.has(step.id)) return;
    done.add(step.id);
    for (const id of needs.get(step.id) ?? []) {
      const dep = definition.steps.find((candidate) => candidate.id === id);
      if (dep) visit(dep);
    }
    order.push(step);
  };
  definition.steps.forEach(visit);
  return order;
}

/** The run's progress: each step counts one, a step under way the share of its jobs that ended. */
export function runProgress(states: readonly StepState[]): { pct: number; message: string } {
  let done = 0;
  let finishedSteps = 0;
  for (const state of states) {
    if (ended(state.status)) {
      done += 1;
      finishedSteps += 1;
    } else if (state.jobs.length > 0) {
      const total = state.jobs.length + state.toStart.length;
      done += state.jobs.filter((job) => isTerminal(job.status)).length / total;
    }
  }
  return {
    pct: Math.min(99, Math.floor((done / states.length) * 100)),
    message: `${finishedSteps}/${states.length} steps done`,
  };
}

/** True once every step has ended (succeeded, failed without failing the run, or skipped). */
export const allStepsEnded = (states: readonly StepState[]) => states.every((state) => ended(state.status));

/**
 * The steps of a run that has ended, as they will stay: a step that had not started will not start. The
 * step the run failed on before its job was created (its input did not fit, its type was gone) is
 * `failed` with the run's error; the others are `skipped`. A step whose jobs are still being canceled
 * shows them as they are.
 */
export function endedRunSteps(states: readonly StepState[], runError: ErrorInfo | null): StepState[] {
  const failedStep = (runError?.details as { step?: unknown } | null | undefined)?.step;
  return states.map((state) => {
    if (ended(state.status) || state.jobs.some((job) => !isTerminal(job.status))) return state;
    return state.step.id === failedStep
      ? { ...state, status: 'failed', error: runError, toStart: [] }
      : { ...state, status: 'skipped', toStart: [] };
  });
}

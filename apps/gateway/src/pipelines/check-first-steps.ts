import { type BlobRef, GantryError } from '@gantry/contracts';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { checkStepInput } from './check-step-input.js';
import { parseReference } from './pipeline-reference.js';
import { readPipelineState, type RunInput } from './pipeline-state.js';

/** Stands for the run's id, which the run gets once it is created: `$run.id` is only ever a string. */
const idToCome = 'run-id-to-come';

/**
 * Refuses a run that would fail at its first look: the steps that need no other step get inputs built
 * from the run's input alone, checked here as the orchestrator checks them before creating their jobs.
 * So an upload the first step cannot read (document-summary given a Word file, or an empty one) is
 * `415 UNSUPPORTED_MEDIA_TYPE` at the request, as it is for a job, not a run that fails after its 202;
 * any other misfit is `422 PIPELINE_STEP_INPUT_INVALID`, the error the run would have failed with.
 */
export async function checkFirstSteps(
  run: RunInput,
  entryFor: (type: string) => Promise<CatalogueEntry | undefined>,
  /** Where the run's `pipeline` and `input` sit in the request body: a schedule's under `target`. */
  at: readonly string[] = [],
): Promise<void> {
  const states = await readPipelineState(idToCome, run, async (ids) => ids.map(() => null));
  for (const state of states) {
    const { step } = state;
    if (state.inputError !== null) {
      throw new GantryError('PIPELINE_STEP_INPUT_INVALID', `step "${step.id}": ${state.inputError}`, {
        details: { step: step.id },
      });
    }
    // A type gone since the definition was checked fails the run at its first look, as it did.
    const entry = state.toStart.length > 0 ? await entryFor(step.type) : undefined;
    if (!entry) continue;
    for (const job of state.toStart) {
      const checked = checkStepInput(entry, job.input);
      if (checked.ok) continue;
      const item = job.item === undefined ? {} : { item: job.item };
      const [issue] = checked.issues;
      if (checked.issues.length === 1 && issue?.code === 'unsupported_media_type') {
        const field = String(issue.path[0]);
        const blob = (job.input as Record<string, BlobRef>)[field];
        throw new GantryError('UNSUPPORTED_MEDIA_TYPE', `step "${step.id}": ${issue.message}`, {
          details: {
            step: step.id,
            ...item,
            media_type: blob?.media_type,
            accepts: entry.accepts,
            path: [
              ...at,
              ...requestPath(step.input[field], [
                'pipeline',
                'steps',
                run.pipeline.steps.indexOf(step),
                'input',
                field,
              ]),
            ],
          },
        });
      }
      throw new GantryError(
        'PIPELINE_STEP_INPUT_INVALID',
        `step "${step.id}": its input does not match "${entry.type}"`,
        {
          details: { step: step.id, ...item, issues: checked.issues },
        },
      );
    }
  }
}

/** Where a step's field came from in the request: the run input's field it names, else the step's own. */
function requestPath(mapping: unknown, stepPath: (string | number)[]): (string | number)[] {
  const reference = typeof mapping === 'string' ? parseReference(mapping) : null;
  return reference?.source === 'input' && !reference.path.includes('*')
    ? ['input', ...(reference.path as (string | number)[])]
    : stepPath;
}

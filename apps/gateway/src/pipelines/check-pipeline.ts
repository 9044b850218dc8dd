import { GantryError, PipelineDefinition, type PipelineStep } from '@gantry/contracts';
import type { CatalogueEntry, ValidationIssue } from '../catalogue/catalogue-entry.js';
import { schemaAt, typeName, typesFit } from './json-schema-at.js';
import { literalInputIssues } from './literal-input-issues.js';
import { parseReference, referencesIn } from './pipeline-reference.js';
import { stepNeeds } from './step-needs.js';

type JsonSchema = Record<string, unknown>;
type Path = (string | number)[];

/** What `$run` offers a mapping (see RunFacts). */
const runSchema: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' } },
  required: ['id'],
  additionalProperties: false,
};

/** A definition that passed every check, with each step's dependencies (the steps it references). */
export interface CheckedPipeline {
  definition: PipelineDefinition;
  needs: ReadonlyMap<string, readonly string[]>;
}

/**
 * Checks a pipeline before any of it runs: its shape, that each step's type exists, that each reference
 * names an earlier-or-independent step and a field its output has (read off the contracts' JSON
 * schemas), that the mapped fields fit the step's input schema, and that the steps form no cycle.
 * Throws PIPELINE_STEP_TYPE_MISSING or PIPELINE_INVALID with the path of each problem under `at`; a
 * definition whose only problems are literal input values that do not fit their job type is refused
 * as a job's input would be, VALIDATION_FAILED.
 */
export async function checkPipeline(
  raw: unknown,
  entryFor: (type: string) => Promise<CatalogueEntry | undefined>,
  at: Path = [],
): Promise<CheckedPipeline> {
  const parsed = PipelineDefinition.safeParse(raw);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.map((issue) => ({
        path: [...at, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
        message: issue.message,
        code: issue.code,
      })),
    );
  }
  const definition = parsed.data;
  const issues: ValidationIssue[] = [];
  const problem = (path: Path, message: string, code = 'invalid_pipeline') =>
    issues.push({ path: [...at, ...path], message, code });
  const literalIssues: ValidationIssue[] = [];
  const literalMisfits = new Set<string>();

  const steps = new Map<string, { step: PipelineStep; index: number; entry?: CatalogueEntry }>();
  const all: { step: PipelineStep; index: number; entry?: CatalogueEntry }[] = [];
  const missingTypes = new Set<string>();
  for (const [index, step] of definition.steps.entries()) {
    if (steps.has(step.id)) problem(['steps', index, 'id'], `step id "${step.id}" is used twice`);
    const entry = await entryFor(step.type);
    if (!entry) {
      missingTypes.add(step.type);
      problem(
        ['steps', index, 'type'],
        `no job type "${step.type}" in this build or on a live worker`,
        'unknown_type',
      );
    }
    const checked = { step, index, ...(entry ? { entry } : {}) };
    all.push(checked);
    if (!steps.has(step.id)) steps.set(step.id, checked);
  }

  /** What a reference leads to in the schemas; null where it cannot be told (or was already reported). */
  const schemaOf = (text: string, path: Path, step?: PipelineStep): JsonSchema | null => {
    const reference = parseReference(text);
    if (!reference) {
      problem(
        path,
        `"${text}" is not a reference: use $input.<path>, $steps.<id>.output.<path>, $item.<path> or $run.id`,
      );
      return null;
    }
    if (reference.source === 'input') return null;
    if (reference.source === 'run') return found(schemaAt(runSchema, runSchema, reference.path), text, path);
    if (reference.source === 'item') {
      if (!step?.for_each) {
        problem(path, '$item is only defined in a step with for_each');
        return null;
      }
      const list = schemaOf(step.for_each, path);
      const items = list?.['type'] === 'array' ? (list['items'] as JsonSchema | undefined) : undefined;
      return items ? found(schemaAt(items, rootOf(step.for_each), reference.path), text, path) : null;
    }
    const source = steps.get(reference.step);
    if (!source) {
      problem(path, `no step "${reference.step}" in this pipeline`);
      return null;
    }
    if (source.step === step) {
      problem(path, `step "${reference.step}" cannot use its own output`);
      return null;
    }
    if (!source.entry) return null;
    const output = source.step.for_each
      ? { type: 'array', items: source.entry.outputSchema }
      : source.entry.outputSchema;
    return found(schemaAt(output, source.entry.outputSchema, reference.path), text, path);
  };
  const rootOf = (text: string): JsonSchema => {
    const reference = parseReference(text);
    return (reference?.source === 'step' && steps.get(reference.step)?.entry?.outputSchema) || {};
  };
  const found = (result: ReturnType<typeof schemaAt>, text: string, path: Path): JsonSchema | null => {
    if ('missing' in result) problem(path, `"${text}" leads nowhere: the path ${result.missing}`);
    return 'schema' in result ? result.schema : null;
  };

  const needs = stepNeeds(definition);
  for (const { step, index, entry } of all) {
    const base: Path = ['steps', index];
    const references = referencesIn(step.input, [...base, 'input']);
    if (step.for_each !== undefined) {
      references.push({ text: step.for_each, at: [...base, 'for_each'] });
      const list = schemaOf(step.for_each, [...base, 'for_each'], step);
      if (list && list['type'] !== 'array') {
        problem([...base, 'for_each'], `for_each must reference a list, not a ${typeName(list)}`);
      }
    }
    // Every reference is checked, whether or not its field can be typed: a step that waits on a step
    // that does not exist would wait forever.
    const sources = new Map<string, JsonSchema | null>();
    for (const { text, at: path } of references) {
      if (path[path.length - 1] !== 'for_each') sources.set(path.join('.'), schemaOf(text, path, step));
    }
    if (!entry) continue;
    const target = entry.inputSchema;
    const properties = (target['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const [field, value] of Object.entries(step.input)) {
      const path = [...base, 'input', field];
      if (!Object.hasOwn(properties, field)) {
        if (target['additionalProperties'] === false) {
          problem(
            path,
            `"${entry.type}" has no input "${field}" (inputs: ${Object.keys(properties).join(', ')})`,
          );
        }
        continue;
      }
      const source = sources.get(path.join('.'));
      if (source && !typesFit(source, properties[field] as JsonSchema, target)) {
        problem(
          path,
          `"${value}" is a ${typeName(source)}, but input "${field}" of "${entry.type}" takes a ${typeName(properties[field] as JsonSchema)}`,
          'type_mismatch',
        );
      }
    }
    for (const issue of literalInputIssues(entry, step.input)) {
      literalIssues.push({ ...issue, path: [...at, ...base, 'input', ...issue.path] });
      literalMisfits.add(`"${step.id}" (${entry.type})`);
    }
    for (const field of (target['required'] ?? []) as string[]) {
      if (!Object.hasOwn(step.input, field)) {
        problem(
          [...base, 'input'],
          `input "${field}" of "${entry.type}" is required but not mapped`,
          'required',
        );
      }
    }
  }
  for (const { text, at: path } of referencesIn(definition.output ?? {}, ['output'])) schemaOf(text, path);

  const cycle = findCycle(needs);
  if (cycle) problem(['steps'], `the steps form a cycle: ${cycle.join(' → ')}`, 'cycle');

  if (missingTypes.size > 0) {
    throw new GantryError(
      'PIPELINE_STEP_TYPE_MISSING',
      `the pipeline needs job types that are not available: ${[...missingTypes].join(', ')}`,
      { details: { missing_types: [...missingTypes], issues: [...issues, ...literalIssues] } },
    );
  }
  if (issues.length > 0) throw invalid([...issues, ...literalIssues]);
  if (literalIssues.length > 0) {
    throw new GantryError(
      'VALIDATION_FAILED',
      `the input of step ${[...literalMisfits].join(', ')} does not match its job type's schema`,
      { details: { issues: literalIssues } },
    );
  }
  return { definition, needs };
}

const invalid = (issues: ValidationIssue[]) =>
  new GantryError('PIPELINE_INVALID', `the pipeline is invalid: ${issues.length} problem(s)`, {
    details: { issues },
  });

/** A cycle among the steps' dependencies, as the step ids around it; null when there is none. */
function findCycle(needs: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'visiting');
    for (const next of needs.get(id) ?? []) {
      if (!needs.has(next)) continue;
      const cycle = visit(next, [...trail, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return null;
  };
  for (const id of needs.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return null;
}

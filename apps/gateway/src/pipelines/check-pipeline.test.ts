import { GantryError } from '@gantry/contracts';
import { runtimeTestContracts } from '@gantry/queue-runtime/testing';
import { describe, expect, it } from 'vitest';
import { JobCatalogue } from '../catalogue/job-catalogue.js';
import { checkPipeline } from './check-pipeline.js';

// The catalogue is real, built from the runtime's test contracts; no Redis is involved.
const catalogue = new JobCatalogue(runtimeTestContracts);
const entryFor = async (type: string) => catalogue.get(type);

async function problems(definition: unknown): Promise<GantryError> {
  try {
    await checkPipeline(definition, entryFor, ['pipeline']);
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error('the pipeline was accepted');
}

describe('checkPipeline', () => {
  it('accepts a DAG with a fan-out and finds each step’s dependencies', async () => {
    const checked = await checkPipeline(
      {
        steps: [
          { id: 'a', type: 'test.sleep', input: { ms: '$input.ms' } },
          { id: 'fan', type: 'test.sleep', for_each: '$input.list', input: { ms: '$item' } },
          { id: 'b', type: 'test.sleep', input: { ms: '$steps.fan.output[0].slept_ms' } },
          { id: 'c', type: 'test.sleep', input: { ms: '$steps.a.output.slept_ms' } },
        ],
        output: { run: '$run.id', c: '$steps.c.output' },
      },
      entryFor,
    );
    expect(Object.fromEntries(checked.needs)).toEqual({ a: [], fan: [], b: ['fan'], c: ['a'] });
  });

  it('names each problem by its path', async () => {
    const error = await problems({
      steps: [
        { id: 'a', type: 'test.sleep', input: { ms: '$steps.a.output.slept_ms' } },
        { id: 'b', type: 'test.sleep', input: { ms: '$steps.a.output.nope' } },
        { id: 'c', type: 'test.sleep', input: { ms: '$item' } },
        { id: 'd', type: 'test.sleep', input: { ms: '$steps.a.output' }, for_each: '$steps.a.output.pid' },
        { id: 'b', type: 'test.sleep', input: { ms: 'literal' } },
      ],
      output: { x: '$steps.zz.output', y: '$run.tenant' },
    });
    expect(error.code).toBe('PIPELINE_INVALID');
    const issues = (error.details?.['issues'] as { path: unknown[]; code: string }[]).map((issue) => [
      issue.path.join('.'),
      issue.code,
    ]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['pipeline.steps.4.id', 'invalid_pipeline'],
        ['pipeline.steps.0.input.ms', 'invalid_pipeline'],
        ['pipeline.steps.1.input.ms', 'invalid_pipeline'],
        ['pipeline.steps.2.input.ms', 'invalid_pipeline'],
        ['pipeline.steps.3.for_each', 'invalid_pipeline'],
        ['pipeline.steps.3.input.ms', 'type_mismatch'],
        ['pipeline.output.x', 'invalid_pipeline'],
        ['pipeline.output.y', 'invalid_pipeline'],
      ]),
    );
  });

  it('finds a cycle', async () => {
    const error = await problems({
      steps: [
        { id: 'a', type: 'test.sleep', input: { ms: '$steps.b.output.slept_ms' } },
        { id: 'b', type: 'test.sleep', input: { ms: '$steps.a.output.slept_ms' } },
      ],
    });
    expect(JSON.stringify(error.details)).toContain('a → b → a');
  });

  it('refuses a missing job type with its own code, naming the type', async () => {
    const error = await problems({
      steps: [{ id: 'a', type: 'llm.summarize', input: { text: '$input.text' } }],
    });
    expect(error.code).toBe('PIPELINE_STEP_TYPE_MISSING');
    expect(error.details?.['missing_types']).toEqual(['llm.summarize']);
  });
});

import { defineJob, GantryError } from '@gantry/contracts';
import { runtimeTestContracts } from '@gantry/queue-runtime/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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

  describe('literal inputs, checked against the job type as POST /v1/jobs checks an input', () => {
    it('refuses a step whose input is all literal and does not fit, as VALIDATION_FAILED', async () => {
      const error = await problems({ steps: [{ id: 'a', type: 'test.sleep', input: { ms: -5 } }] });
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual({
        issues: [
          { path: ['pipeline', 'steps', 0, 'input', 'ms'], message: expect.any(String), code: 'too_small' },
        ],
      });
    });

    it('checks the literal fields of a step that also maps references, and only those', async () => {
      const error = await problems({
        steps: [{ id: 'a', type: 'test.sleep', input: { ms: '$input.ms', burst: [10, 500] } }],
      });
      expect(error.code).toBe('VALIDATION_FAILED');
      expect((error.details?.['issues'] as { path: unknown[] }[]).map((issue) => issue.path)).toEqual([
        ['pipeline', 'steps', 0, 'input', 'burst', 1],
      ]);
      // A literal field with a reference inside is built at run time: it is checked then.
      await expect(
        checkPipeline(
          { steps: [{ id: 'a', type: 'test.sleep', input: { ms: 5, burst: ['$input.pct'] } }] },
          entryFor,
        ),
      ).resolves.toBeDefined();
    });

    it('leaves a refinement that may weigh a referenced field to the run', async () => {
      const Paired = defineJob({
        type: 'test.paired',
        queue: 'runtime-test',
        summary: 'b needs a',
        input: z
          .object({ a: z.string().optional(), b: z.string().optional() })
          .refine((input) => input.b === undefined || input.a !== undefined, {
            path: ['b'],
            message: 'b needs a',
          }),
        output: z.object({}),
      });
      const paired = new JobCatalogue([Paired]);
      const check = (input: Record<string, unknown>) =>
        checkPipeline({ steps: [{ id: 's', type: 'test.paired', input }] }, async (type) => paired.get(type));
      await expect(check({ a: '$input.a', b: 'x' })).resolves.toBeDefined();
      await expect(check({ b: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(check({ a: '$input.a', b: 5 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('refuses a fraud-score step whose literal threshold is out of range (the real contracts)', async () => {
      const contracts = new JobCatalogue();
      await expect(
        checkPipeline(
          {
            steps: [
              {
                id: 'score',
                type: 'predictive.fraud-score',
                input: { transactions: [{ amount: 12.5 }], threshold: 2 },
              },
            ],
          },
          async (type) => contracts.get(type),
          ['pipeline'],
        ),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        status: 422,
        details: { issues: [{ path: ['pipeline', 'steps', 0, 'input', 'threshold'], code: 'too_big' }] },
      });
    });

    it('lists them among the other problems of a definition that is invalid as well', async () => {
      const error = await problems({
        steps: [
          { id: 'a', type: 'test.sleep', input: { ms: 'soon' } },
          { id: 'b', type: 'test.sleep', input: { ms: '$steps.zz.output.slept_ms' } },
        ],
      });
      expect(error.code).toBe('PIPELINE_INVALID');
      expect(
        (error.details?.['issues'] as { path: unknown[]; code: string }[]).map((issue) => [
          issue.path.join('.'),
          issue.code,
        ]),
      ).toEqual([
        ['pipeline.steps.1.input.ms', 'invalid_pipeline'],
        ['pipeline.steps.0.input.ms', 'invalid_type'],
      ]);
    });
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

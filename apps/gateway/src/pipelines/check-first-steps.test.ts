import { GantryError, PipelineDefinition } from '@gantry/contracts';
import { runtimeTestContracts } from '@gantry/queue-runtime/testing';
import { describe, expect, it } from 'vitest';
import { JobCatalogue } from '../catalogue/job-catalogue.js';
import { checkFirstSteps } from './check-first-steps.js';

// The catalogue is real, built from the runtime's test contracts; no Redis is involved.
const catalogue = new JobCatalogue(runtimeTestContracts);
const entryFor = async (type: string) => catalogue.get(type);
const gzip = { blob_id: 'blob_1', media_type: 'application/gzip', size: 10, sha256: 'a'.repeat(64) };

async function refusal(
  steps: Record<string, unknown>[],
  input: Record<string, unknown>,
  at?: string[],
): Promise<GantryError | null> {
  try {
    // Parsed as a request's definition is, defaults and all.
    await checkFirstSteps({ pipeline: PipelineDefinition.parse({ steps }), input }, entryFor, at);
    return null;
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
}

describe('checkFirstSteps', () => {
  it('takes a run whose first steps fit, whatever a later step will be given', async () => {
    expect(
      await refusal(
        [
          { id: 'a', type: 'test.sleep', input: { ms: '$input.ms' } },
          // Built only once `a` has succeeded: `$input.later` is not looked at now.
          { id: 'b', type: 'test.sleep', input: { ms: '$input.later', burst: ['$steps.a.output.slept_ms'] } },
        ],
        { ms: 5, later: 'not a number' },
      ),
    ).toBeNull();
  });

  it("names the run input's field a file came from, under where the run sits in the request", async () => {
    const steps = [{ id: 'sum', type: 'test.checksum', input: { file: '$input.doc.upload' } }];
    expect(await refusal(steps, { doc: { upload: gzip } })).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: { step: 'sum', media_type: 'application/gzip', path: ['input', 'doc', 'upload'] },
    });
    expect((await refusal(steps, { doc: { upload: gzip } }, ['target']))?.details).toMatchObject({
      path: ['target', 'input', 'doc', 'upload'],
    });
  });

  it("names the step's own field where the file is not one of the run's fields as it is", async () => {
    const steps = [{ id: 'each', type: 'test.checksum', for_each: '$input.files', input: { file: '$item' } }];
    expect(await refusal(steps, { files: [gzip] })).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: { step: 'each', item: 0, path: ['pipeline', 'steps', 0, 'input', 'file'] },
    });
  });

  it('refuses any other misfit with the issues the run would have failed with', async () => {
    const error = await refusal(
      [{ id: 'fan', type: 'test.sleep', for_each: '$input.delays', input: { ms: '$item' } }],
      { delays: [5, -1] },
    );
    expect(error).toMatchObject({
      code: 'PIPELINE_STEP_INPUT_INVALID',
      details: { step: 'fan', item: 1, issues: [expect.objectContaining({ path: ['ms'] })] },
    });
  });
});

import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { cudaProviderInstalled } from '../testing/cuda-provider.js';
import { startInferenceThread } from './inference-thread.js';
import { loadYoloxFiles } from './load-yolox-files.js';
import { yoloxNano } from './yolox-nano.js';

// The real onnxruntime-node and YOLOX-Nano on a real worker thread, as the detector starts them.
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const options = { graphOptimizationLevel: 'all', intraOpNumThreads: 1 } as const;
const cpu = { device: 'cpu', strict: false } as const;

let model: Uint8Array;
beforeAll(async () => {
  model = (await loadYoloxFiles(modelsDir)).model;
});

describe('the inference thread', () => {
  // First: onnxruntime fixes its log level at a process's first session, and the GPU attempt sets it
  // to 'fatal' so that the missing CUDA provider is not printed as well as reported.
  it.skipIf(cudaProviderInstalled)('keeps a strict GPU refusal typed, with its details', async () => {
    const error = await startInferenceThread({
      model,
      device: { device: 'gpu', strict: true },
      options,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GantryError);
    expect(error).toMatchObject({ code: 'MODEL_UNAVAILABLE', details: { device: 'gpu', strict: true } });
  });

  it('runs the model and hands the input buffer back with the output; gone once released', async () => {
    const thread = await startInferenceThread({ model, device: cpu, options });
    const size = yoloxNano.inputSize;
    expect(thread).toMatchObject({ device: 'cpu', fallback: null, inputShape: [1, 3, size, size] });
    const tensor = new Float32Array(3 * size * size).fill(114);
    const { output, tensor: returned } = await thread.run(tensor, [1, 3, size, size]);
    // Transferred: detached here while the thread had it, whole again when it came back.
    expect(tensor.length).toBe(0);
    expect(returned.length).toBe(3 * size * size);
    expect(returned[0]).toBe(114);
    expect(output.length % 85).toBe(0);
    await thread.release();
    await expect(thread.run(returned, [1, 3, size, size])).rejects.toMatchObject({
      code: 'ENGINE_CRASHED',
      message: expect.stringMatching(/inference thread exited/),
    });
  });

  it('fails a run that onnxruntime refuses with its message, and runs the next', async () => {
    const thread = await startInferenceThread({ model, device: cpu, options });
    const size = yoloxNano.inputSize;
    // The tensor is shorter than its dimensions say: onnxruntime throws as the input is built.
    const refused = await thread
      .run(new Float32Array(10), [1, 3, size, size])
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(GantryError);
    expect((refused as Error).message).toMatch(/size/i);
    const { output } = await thread.run(new Float32Array(3 * size * size), [1, 3, size, size]);
    expect(output.length % 85).toBe(0);
    await thread.release();
  });

  it("answers a model onnxruntime cannot load with onnxruntime's own message, untyped", async () => {
    const error = await startInferenceThread({
      model: new Uint8Array([1, 2, 3]),
      device: cpu,
      options,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(GantryError);
    expect((error as Error).message).toMatch(/protobuf|parsing|load model/i);
  });
});

import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { cudaProviderInstalled } from '../testing/cuda-provider.js';
import { createDeviceSession } from './create-device-session.js';
import { loadYoloxFiles } from './load-yolox-files.js';
import { yoloxNano } from './yolox-nano.js';

// Real onnxruntime-node and the real YOLOX-Nano. Here onnxruntime-node was installed without its
// CUDA files (ONNXRUNTIME_NODE_INSTALL=skip), so a GPU request meets the missing provider for real.
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const options = { graphOptimizationLevel: 'all', intraOpNumThreads: 1 } as const;

let model: Uint8Array;
beforeAll(async () => {
  model = (await loadYoloxFiles(modelsDir)).model;
});

async function runsYolox(session: ort.InferenceSession): Promise<void> {
  const size = yoloxNano.inputSize;
  const input = new ort.Tensor('float32', new Float32Array(3 * size * size), [1, 3, size, size]);
  const outputs = await session.run({ [session.inputNames[0] ?? 'images']: input });
  expect(outputs[session.outputNames[0] ?? 'output']?.dims[0]).toBe(1);
}

describe('createDeviceSession with the real onnxruntime-node', () => {
  it.skipIf(cudaProviderInstalled)(
    'asks for the CUDA provider on gpu and, as it is missing here, runs on the CPU and says why',
    async () => {
      const created = await createDeviceSession(ort, model, { device: 'gpu', strict: false }, options);
      expect(created.device).toBe('cpu');
      // onnxruntime's own words show that the CUDA provider is what was asked for.
      expect(created.fallback).toMatch(/^onnxruntime's CUDA execution provider is unavailable: .*Cuda/);
      await runsYolox(created.session);
      await created.session.release();
    },
  );

  it.skipIf(cudaProviderInstalled)('refuses to fall back with strict, naming the setting', async () => {
    const error = await createDeviceSession(ort, model, { device: 'gpu', strict: true }, options).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GantryError);
    expect(error).toMatchObject({ code: 'MODEL_UNAVAILABLE', details: { device: 'gpu', strict: true } });
    expect((error as Error).message).toMatch(/WORKER_DEVICE_STRICT=true.*CUDA execution provider/);
  });

  it('runs on the CPU when asked to, with nothing to explain', async () => {
    const created = await createDeviceSession(ort, model, { device: 'cpu', strict: true }, options);
    expect(created).toMatchObject({ device: 'cpu', fallback: null });
    await runsYolox(created.session);
    await created.session.release();
  });
});

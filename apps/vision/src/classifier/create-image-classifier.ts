import path from 'node:path';
import { GantryError, type ModelInfo, type VisionClassifyOutput } from '@gantry/contracts';
import { openImage } from '@gantry/image-input';
import type { DeviceRequest } from '../engine/create-device-session.js';
import { type InferenceThread, startInferenceThread } from '../engine/inference-thread.js';
import { createMicroBatcher } from '../engine/micro-batcher.js';
import { classifierInput } from './classifier-input.js';
import { type ClassifierManifest, manifestInvalid } from './classifier-manifest.js';
import { loadClassifierFiles } from './load-classifier-files.js';
import { softmax, topLabels } from './top-labels.js';

/** Where the worker looks for a classifier: `<MODELS_DIR>/classifier/manifest.json` and the files it names. */
export const classifierFolder = (modelsDir: string) => path.join(modelsDir, 'classifier');

export interface ImageClassifierOptions {
  /** Folder holding manifest.json, the ONNX file and the labels file. */
  folder: string;
  /** Largest image (width × height) accepted; larger ones fail with MEDIA_TOO_LARGE before decoding. */
  maxPixels: number;
  intraOpNumThreads?: number;
  device?: DeviceRequest;
  /** Concurrent calls run as one batch of at most this many images (1 for a model with a fixed batch of 1). */
  maxBatchSize: number;
  /** How long the first image of a batch waits for more. */
  maxWaitMs: number;
  onBatch?: (size: number) => void;
}

export interface ClassifyOptions {
  topK: number;
  minScore: number;
  signal?: AbortSignal;
}

export interface ImageClassifier {
  readonly model: ModelInfo;
  readonly device: { device: 'cpu' | 'gpu'; fallback: string | null };
  readonly labels: readonly string[];
  /** Largest batch one session run gets: the configured size, or 1 when the model's batch is fixed. */
  readonly maxBatchSize: number;
  classify(image: Buffer, options: ClassifyOptions): Promise<VisionClassifyOutput>;
  close(): Promise<void>;
}

/** The typed error of a `vision.classify` job on a worker with no classifier installed. */
export const classifierMissing = (folder: string) =>
  new GantryError(
    'MODEL_UNAVAILABLE',
    `No image classifier is installed: ${path.join(folder, 'manifest.json')} does not exist; run \`npm run models:fetch -- --classifier\` or write one (README, vision.classify)`,
    { details: { model: 'classifier', folder } },
  );

/** The model's input shape for a batch of `n`, as the manifest describes it. */
const inputShape = (n: number, { layout, width, height }: ClassifierManifest['input']) =>
  layout === 'NCHW' ? [n, 3, height, width] : [n, height, width, 3];

/**
 * The batch size the model's first input fixes (a number in its shape), or null when it is free.
 * Shapes the manifest contradicts are refused here rather than on the first job.
 */
function fixedBatch(
  shape: InferenceThread['inputShape'],
  folder: string,
  manifest: ClassifierManifest,
): number | null {
  if (!shape) return null;
  const expected = inputShape(0, manifest.input);
  if (shape.length !== 4) {
    throw manifestInvalid(
      folder,
      `the model input has ${shape.length} dimensions, not 4 (${manifest.input.layout})`,
      {
        model_shape: shape,
      },
    );
  }
  for (let axis = 1; axis < 4; axis++) {
    const size = shape[axis];
    if (typeof size === 'number' && size > 0 && size !== expected[axis]) {
      throw manifestInvalid(
        folder,
        `the model input is [${shape.join(', ')}], the manifest describes [N, ${expected.slice(1).join(', ')}] (${manifest.input.layout})`,
        { model_shape: shape },
      );
    }
  }
  const batch = shape[0];
  return typeof batch === 'number' && batch > 0 ? batch : null;
}

/**
 * Loads the ONNX image classifier a folder's manifest describes, or resolves to null when the folder
 * has no manifest. A manifest that contradicts its model (input shape, number of labels) is refused
 * at load, with MODEL_MANIFEST_INVALID, by one warm-up run on a blank image. The session runs on an
 * inference thread, as the detector's does, so a batch never holds up the engine's event loop.
 */
export async function createImageClassifier(
  options: ImageClassifierOptions,
): Promise<ImageClassifier | null> {
  const { folder } = options;
  const files = await loadClassifierFiles(folder);
  if (!files) return null;
  const { manifest, labels } = files;
  let thread: InferenceThread;
  try {
    thread = await startInferenceThread({
      model: files.model,
      device: options.device ?? { device: 'cpu', strict: false },
      options: {
        graphOptimizationLevel: 'all',
        ...(options.intraOpNumThreads === undefined ? {} : { intraOpNumThreads: options.intraOpNumThreads }),
      },
    });
  } catch (error) {
    if (error instanceof GantryError) throw error;
    throw new GantryError('MODEL_UNAVAILABLE', `onnxruntime could not load ${manifest.model_file}`, {
      details: { model: manifest.name },
      cause: error,
    });
  }
  const rowSize = 3 * manifest.input.width * manifest.input.height;

  /** One session run over stacked rows → one row of class scores per image. */
  async function runBatch(rows: Float32Array[]): Promise<Float32Array[]> {
    const stacked = new Float32Array(rows.length * rowSize);
    rows.forEach((row, index) => stacked.set(row, index * rowSize));
    const { output: data } = await thread.run(stacked, inputShape(rows.length, manifest.input));
    if (data.length !== rows.length * labels.length) {
      throw manifestInvalid(
        folder,
        `the model gives ${data.length / rows.length} scores per image and labels_file has ${labels.length} labels`,
      );
    }
    return rows.map((_, index) => data.subarray(index * labels.length, (index + 1) * labels.length));
  }

  let fixed: number | null;
  try {
    fixed = fixedBatch(thread.inputShape, folder, manifest);
    if (fixed !== null && fixed !== 1) {
      throw manifestInvalid(
        folder,
        `the model takes batches of exactly ${fixed}; the engine needs 1 or a free batch size`,
      );
    }
    await runBatch([new Float32Array(rowSize)]);
  } catch (error) {
    await thread.release();
    if (error instanceof GantryError) throw error;
    throw manifestInvalid(
      folder,
      `the model refuses the input the manifest describes: ${(error as Error).message}`,
    );
  }

  const maxBatchSize = fixed === 1 ? 1 : options.maxBatchSize;
  const batcher = createMicroBatcher({
    maxBatchSize,
    maxWaitMs: options.maxWaitMs,
    run: runBatch,
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
  });

  return {
    model: files.info,
    device: { device: thread.device, fallback: thread.fallback },
    labels,
    maxBatchSize,
    async classify(bytes, { topK, minScore, signal }) {
      signal?.throwIfAborted();
      const image = await openImage(bytes, { maxPixels: options.maxPixels });
      const row = await classifierInput(image.image, manifest.input);
      const scores = await batcher.submit(row, signal);
      const probabilities = manifest.output === 'logits' ? softmax(scores) : scores;
      return {
        width: image.width,
        height: image.height,
        labels: topLabels(probabilities, labels, { topK, minScore }),
      };
    },
    close: () => thread.release(),
  };
}

import { GantryError, type ModelInfo } from '@gantry/contracts';
import { openImageScaled, type ScaledImage } from '@gantry/image-input';
import { batchableYolox } from './batchable-yolox.js';
import type { DeviceRequest } from './create-device-session.js';
import { type Candidate, decodeYoloxOutput } from './decode-yolox-output.js';
import { type InferenceThread, startInferenceThread } from './inference-thread.js';
import { letterboxFit, letterboxInto } from './letterbox.js';
import { loadYoloxFiles } from './load-yolox-files.js';
import { createMicroBatcher } from './micro-batcher.js';
import { nonMaxSuppression } from './non-max-suppression.js';
import { yoloxNano } from './yolox-nano.js';

export interface ObjectDetectorOptions {
  /** Folder holding `yolox-nano/yolox_nano.onnx` and `yolox-nano/coco-labels.txt`. */
  modelsDir: string;
  /** Threads onnxruntime uses inside one inference; its own default (all cores) when left out. */
  intraOpNumThreads?: number;
  /** Largest image (width × height) accepted; larger ones fail with MEDIA_TOO_LARGE before decoding. */
  maxPixels?: number;
  /** Where to run the model (default: the CPU). */
  device?: DeviceRequest;
  /** Concurrent detect calls run as one batch of at most this many images (default 1: no batching). */
  maxBatchSize?: number;
  /** How long the first image of a batch waits for more (default 0). */
  maxWaitMs?: number;
  onBatch?: (size: number) => void;
}

export interface DetectOptions {
  /** Objects scoring below this (0..1) are left out. */
  minScore: number;
  /** Keep at most this many objects, best scores first. */
  maxDetections: number;
  /** Only report these labels; every class when left out. */
  classes?: readonly string[];
  signal?: AbortSignal;
  onProgress?: (pct: number, message: string) => void;
}

export interface DetectedObject {
  label: string;
  score: number;
  /** Whole pixels of the image as shown (after EXIF orientation), inside the image. */
  box: { x: number; y: number; width: number; height: number };
}

export interface Detections {
  /** Size of the image as shown, after EXIF orientation. */
  width: number;
  height: number;
  /** Best score first. */
  objects: DetectedObject[];
}

/** An image decoded at its letterbox size, and what maps the model's output back onto it. */
export interface PreparedImage {
  format: ScaledImage['format'];
  /** The image scaled into the model's square: `scaledWidth × scaledHeight × channels` bytes, RGB first. */
  pixels: Uint8Array;
  channels: number;
  scaledWidth: number;
  scaledHeight: number;
  /** Model pixels per image pixel. */
  ratio: number;
  /** Size as shown, after EXIF orientation. */
  width: number;
  height: number;
}

/** A batch's input, `[images, 3, size, size]` float32: the letterboxed images in B, G, R planes. */
export interface BatchInput {
  tensor: Float32Array;
  images: number;
}

/**
 * The stages `detect` runs, apart, so that each is timed on the engine's own code (bench scenario
 * 19): `detect` is prepare → fill and infer (through the micro-batcher, per batch) → finish.
 */
export interface DetectionStages {
  /**
   * Preprocessing, per image: sniff, check the pixel limit, then decode straight to the letterbox
   * size, upright (EXIF orientation).
   */
  prepare(image: Buffer): Promise<PreparedImage>;
  /**
   * Preprocessing, per batch: the tensor fill, each image written once into its slot of the batch's
   * input (at most `maxBatchSize` images). The buffer is the detector's, reused from batch to batch:
   * run each batch once with `infer`, which hands it back.
   */
  fill(images: readonly PreparedImage[]): BatchInput;
  /** Inference: one session run over a filled batch; one output per image, in order. */
  infer(batch: BatchInput): Promise<Float32Array[]>;
  /** Postprocessing: output decoding, non-max suppression, the class filter and clipping to the image. */
  finish(image: PreparedImage, output: Float32Array, options: FinishOptions): DetectedObject[];
}

export type FinishOptions = Pick<DetectOptions, 'minScore' | 'maxDetections' | 'classes'>;

export interface ObjectDetector {
  readonly model: ModelInfo;
  /** The device that really runs the model, and why a GPU request fell back to the CPU. */
  readonly device: { device: 'cpu' | 'gpu'; fallback: string | null };
  readonly labels: readonly string[];
  /** Largest batch one session run gets (1 when batching is off or the graph could not be freed). */
  readonly maxBatchSize: number;
  /** Detects objects in an encoded image (PNG, JPEG, TIFF, WebP, GIF, BMP, AVIF). */
  detect(image: Buffer, options: DetectOptions): Promise<Detections>;
  readonly stages: DetectionStages;
  close(): Promise<void>;
}

/** 50 megapixels: a 48 MP phone photo passes, its decoded RGB (150 MB) still fits an engine process. */
const defaultMaxPixels = 50_000_000;

function toObject(candidate: Candidate, labels: readonly string[], width: number, height: number) {
  const clip = (value: number, max: number) => Math.round(Math.min(Math.max(value, 0), max));
  const x = clip(candidate.x0, width);
  const y = clip(candidate.y0, height);
  return {
    label: labels[candidate.classIndex] ?? String(candidate.classIndex),
    score: Math.round(candidate.score * 10_000) / 10_000,
    box: { x, y, width: clip(candidate.x1, width) - x, height: clip(candidate.y1, height) - y },
  };
}

/**
 * Loads YOLOX-Nano (COCO, 80 classes) once and detects objects in images with it. The session runs
 * on a thread of its own (`inference-thread.ts`), which loads onnxruntime-node: a process importing
 * the engine pays for the native library only when it builds a detector. Its launcher must set
 * `ORT_DISABLE_TELEMETRY=1` before that: libonnxruntime reads it at load time and otherwise looks up
 * a Microsoft telemetry host from a native thread.
 */
export async function createObjectDetector({
  modelsDir,
  intraOpNumThreads,
  maxPixels = defaultMaxPixels,
  device = { device: 'cpu', strict: false },
  maxBatchSize = 1,
  maxWaitMs = 0,
  onBatch,
}: ObjectDetectorOptions): Promise<ObjectDetector> {
  const files = await loadYoloxFiles(modelsDir);
  const batchable = maxBatchSize > 1 ? batchableYolox(files.model) : null;
  let session: InferenceThread;
  try {
    session = await startInferenceThread({
      model: batchable ?? files.model,
      device,
      options: {
        graphOptimizationLevel: 'all',
        // onnxruntime rejects an explicit `undefined` ("must be a number"), so the key is left out instead.
        ...(intraOpNumThreads === undefined ? {} : { intraOpNumThreads }),
      },
    });
  } catch (error) {
    if (error instanceof GantryError) throw error;
    throw new GantryError('MODEL_UNAVAILABLE', `onnxruntime could not load ${yoloxNano.modelFile}`, {
      details: { model: yoloxNano.name },
      cause: error,
    });
  }
  const labels = files.labels;
  const size = yoloxNano.inputSize;
  const rowSize = 3 * size * size;

  const batchLimit = batchable ? maxBatchSize : 1;
  const batchBytes = batchLimit * rowSize * Float32Array.BYTES_PER_ELEMENT;
  // A fresh 2 MB tensor per image cost more in page faults than the fill itself. One batch runs at a
  // time under the micro-batcher, so a single spare buffer serves them all; stages called apart and
  // concurrently just allocate more.
  let spare: ArrayBufferLike | null = null;

  const stages: DetectionStages = {
    async prepare(bytes) {
      // Decoded straight to the letterbox's size: one libvips pass, no full-size copy.
      const image = await openImageScaled(bytes, {
        maxPixels,
        size: (width, height) => letterboxFit(width, height, size),
        kernel: 'linear',
      });
      const { ratio } = letterboxFit(image.width, image.height, size);
      return { ...image, ratio };
    },

    fill(images) {
      if (images.length < 1 || images.length > batchLimit) {
        throw new RangeError(`a batch holds 1 to ${batchLimit} images, not ${images.length}`);
      }
      const buffer = spare ?? new ArrayBuffer(batchBytes);
      spare = null;
      const tensor = new Float32Array(buffer, 0, images.length * rowSize);
      images.forEach((image, index) =>
        letterboxInto(
          tensor.subarray(index * rowSize, (index + 1) * rowSize),
          image.pixels,
          image.channels,
          { width: image.scaledWidth, height: image.scaledHeight },
          size,
        ),
      );
      return { tensor, images: images.length };
    },

    async infer({ tensor, images }) {
      if (images < 1 || images > batchLimit || tensor.length !== images * rowSize) {
        throw new RangeError(`a batch holds 1 to ${batchLimit} images of ${rowSize} values`);
      }
      const { output, tensor: input } = await session.run(tensor, [images, 3, size, size]);
      // The run has read its input: the buffer can take the next batch.
      if (input.buffer.byteLength === batchBytes) spare = input.buffer;
      const per = output.length / images;
      return Array.from({ length: images }, (_, index) => output.subarray(index * per, (index + 1) * per));
    },

    finish(image, output, { minScore, maxDetections, classes }) {
      const wanted = classes && new Set(classes);
      return nonMaxSuppression(decodeYoloxOutput(output, { ratio: image.ratio, minScore }), yoloxNano.nmsIou)
        .map((candidate) => toObject(candidate, labels, image.width, image.height))
        .filter(
          (object) => (!wanted || wanted.has(object.label)) && object.box.width > 0 && object.box.height > 0,
        )
        .slice(0, maxDetections);
    },
  };
  const batcher = createMicroBatcher({
    maxBatchSize: batchLimit,
    maxWaitMs,
    run: (images: PreparedImage[]) => stages.infer(stages.fill(images)),
    ...(onBatch ? { onBatch } : {}),
  });

  return {
    model: files.info,
    device: { device: session.device, fallback: session.fallback },
    labels,
    maxBatchSize: batchLimit,
    stages,

    async detect(bytes, { minScore, maxDetections, classes, signal, onProgress }) {
      const unknown = classes?.filter((label) => !labels.includes(label)) ?? [];
      if (unknown.length > 0) {
        throw new GantryError('VALIDATION_FAILED', `Unknown classes: ${unknown.join(', ')}`, {
          details: { unknown, valid: labels },
        });
      }
      signal?.throwIfAborted();
      const image = await stages.prepare(bytes);
      onProgress?.(20, `decoded ${image.format} ${image.width}×${image.height}`);
      signal?.throwIfAborted();

      const output = await batcher.submit(image, signal);
      onProgress?.(80, 'inference done');
      signal?.throwIfAborted();

      const objects = stages.finish(image, output, {
        minScore,
        maxDetections,
        ...(classes ? { classes } : {}),
      });
      onProgress?.(100, `${objects.length} objects`);
      return { width: image.width, height: image.height, objects };
    },

    close: () => session.release(),
  };
}

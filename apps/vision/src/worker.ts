import {
  VisionBarcodes,
  VisionClassify,
  VisionDetect,
  VisionEnhance,
  VisionTags,
  VisionVideo,
} from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { classifierFolder, createImageClassifier } from './classifier/create-image-classifier.js';
import { createBarcodeReader } from './engine/barcode-reader.js';
import { createObjectDetector } from './engine/create-object-detector.js';
import { createImageEnhancer } from './engine/image-enhancer.js';
import { createImageTagger } from './engine/image-tagger.js';
import { analyseVideo } from './handlers/analyse-video.js';
import { classifyImage } from './handlers/classify-image.js';
import { detectObjects } from './handlers/detect-objects.js';
import { enhanceImage } from './handlers/enhance-image.js';
import { readBarcodes } from './handlers/read-barcodes.js';
import { tagImage } from './handlers/tag-image.js';
import { createFrameTextReader } from './video/frame-text-reader.js';
import { createVideoAnalyser } from './video/video-analyser.js';
import { visionEngineNodeFlags } from './engine-node-flags.js';
import { loadVisionEnv } from './vision-env.js';

/**
 * One detector (and classifier, when `<MODELS_DIR>/classifier/manifest.json` exists) per engine
 * process; onnxruntime gets one thread since each process is one job slot. Up to
 * VISION_ENGINE_CONCURRENCY detect and classify jobs share an engine process, where the ones that arrive
 * together run as one ONNX batch.
 */
export default defineWorker({
  queue: 'vision',
  contracts: [VisionDetect, VisionBarcodes, VisionEnhance, VisionTags, VisionClassify, VisionVideo],
  engineSharing: {
    types: ['vision.detect', 'vision.classify'],
    jobsPerEngine: (env) => loadVisionEnv(env).VISION_ENGINE_CONCURRENCY,
  },
  engineNodeFlags: visionEngineNodeFlags,
  async setup({ env, logger }) {
    const vision = loadVisionEnv();
    const device = { device: env.WORKER_DEVICE, strict: env.WORKER_DEVICE_STRICT };
    const folder = classifierFolder(env.MODELS_DIR);
    const [detector, barcodes, classifier, text] = await Promise.all([
      createObjectDetector({
        modelsDir: env.MODELS_DIR,
        maxPixels: env.MAX_IMAGE_PIXELS,
        intraOpNumThreads: 1,
        device,
        maxBatchSize: vision.VISION_BATCH_MAX_SIZE,
        maxWaitMs: vision.VISION_BATCH_MAX_WAIT_MS,
        onBatch: (size) => logger.debug({ size }, 'detector batch'),
      }),
      createBarcodeReader({ maxPixels: env.MAX_IMAGE_PIXELS }),
      createImageClassifier({
        folder,
        maxPixels: env.MAX_IMAGE_PIXELS,
        intraOpNumThreads: 1,
        device,
        maxBatchSize: vision.VISION_BATCH_MAX_SIZE,
        maxWaitMs: vision.VISION_BATCH_MAX_WAIT_MS,
        onBatch: (size) => logger.debug({ size }, 'classifier batch'),
      }),
      createFrameTextReader(
        vision.VISION_OCR_LANGUAGE_DIR ? { langDir: vision.VISION_OCR_LANGUAGE_DIR } : {},
      ),
    ]);
    if (!classifier)
      logger.info(
        { folder },
        'no image classifier installed: vision.classify jobs fail with MODEL_UNAVAILABLE',
      );
    return {
      engines: {
        detector,
        barcodes,
        classifier,
        classifierFolder: folder,
        enhancer: createImageEnhancer({ maxPixels: env.MAX_IMAGE_PIXELS }),
        tagger: createImageTagger({ detector, classifier, maxPixels: env.MAX_IMAGE_PIXELS }),
        video: createVideoAnalyser({
          detector,
          barcodes,
          text,
          ffmpeg: vision.VISION_FFMPEG_PATH,
          ffprobe: vision.VISION_FFPROBE_PATH,
          maxDurationS: vision.VISION_VIDEO_MAX_DURATION_S,
          maxFrames: vision.VISION_VIDEO_MAX_FRAMES,
          maxPixels: vision.VISION_VIDEO_MAX_PIXELS ?? env.MAX_IMAGE_PIXELS,
        }),
      },
      models: [detector.model, barcodes.model, ...(classifier ? [classifier.model] : []), ...text.models],
      device: detector.device,
      dispose: async () => {
        await Promise.all([detector.close(), classifier?.close(), text.close()]);
      },
    };
  },
}).handle({
  'vision.detect': detectObjects,
  'vision.barcodes': readBarcodes,
  'vision.enhance': enhanceImage,
  'vision.tags': tagImage,
  'vision.classify': classifyImage,
  'vision.video': analyseVideo,
});

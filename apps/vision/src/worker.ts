import { VisionBarcodes, VisionDetect, VisionEnhance, VisionTags } from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { createBarcodeReader } from './engine/barcode-reader.js';
import { createObjectDetector } from './engine/create-object-detector.js';
import { createImageEnhancer } from './engine/image-enhancer.js';
import { createImageTagger } from './engine/image-tagger.js';
import { detectObjects } from './handlers/detect-objects.js';
import { enhanceImage } from './handlers/enhance-image.js';
import { readBarcodes } from './handlers/read-barcodes.js';
import { tagImage } from './handlers/tag-image.js';

/** One detector per engine process; onnxruntime gets one thread since each process is one job slot. */
export default defineWorker({
  queue: 'vision',
  contracts: [VisionDetect, VisionBarcodes, VisionEnhance, VisionTags],
  async setup({ env }) {
    const [detector, barcodes] = await Promise.all([
      createObjectDetector({
        modelsDir: env.MODELS_DIR,
        maxPixels: env.MAX_IMAGE_PIXELS,
        intraOpNumThreads: 1,
        device: { device: env.WORKER_DEVICE, strict: env.WORKER_DEVICE_STRICT },
      }),
      createBarcodeReader({ maxPixels: env.MAX_IMAGE_PIXELS }),
    ]);
    return {
      engines: {
        detector,
        barcodes,
        enhancer: createImageEnhancer({ maxPixels: env.MAX_IMAGE_PIXELS }),
        tagger: createImageTagger({ detector, maxPixels: env.MAX_IMAGE_PIXELS }),
      },
      models: [detector.model, barcodes.model],
      device: detector.device,
      dispose: () => detector.close(),
    };
  },
}).handle({
  'vision.detect': detectObjects,
  'vision.barcodes': readBarcodes,
  'vision.enhance': enhanceImage,
  'vision.tags': tagImage,
});

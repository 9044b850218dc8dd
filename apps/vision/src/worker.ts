import { VisionDetect } from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { createObjectDetector } from './engine/create-object-detector.js';
import { detectObjects } from './handlers/detect-objects.js';

/** One detector per engine process; onnxruntime gets one thread since each process is one job slot. */
export default defineWorker({
  queue: 'vision',
  contracts: [VisionDetect],
  async setup({ env }) {
    const detector = await createObjectDetector({
      modelsDir: env.MODELS_DIR,
      maxPixels: env.MAX_IMAGE_PIXELS,
      intraOpNumThreads: 1,
      device: { device: env.WORKER_DEVICE, strict: env.WORKER_DEVICE_STRICT },
    });
    return {
      engines: { detector },
      models: [detector.model],
      device: detector.device,
      dispose: () => detector.close(),
    };
  },
}).handle({ 'vision.detect': detectObjects });

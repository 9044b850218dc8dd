import { parentPort, workerData } from 'node:worker_threads';
import { GantryError } from '@gantry/contracts';
import { createDeviceSession } from './create-device-session.js';
import type {
  InferenceThreadData,
  InferenceThreadReply,
  InferenceThreadRequest,
} from './inference-thread-messages.js';

// The thread that owns a detector's onnxruntime session (see inference-thread.ts for why).
const port = parentPort;
if (!port) throw new Error('inference-thread-main runs as a worker thread');
const reply = (message: InferenceThreadReply, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

const { model, device, options } = workerData as InferenceThreadData;
const ort = await import('onnxruntime-node');
const created = await createDeviceSession(ort, model, device, options).catch((error: unknown) => {
  reply({
    kind: 'setup-failed',
    error: error instanceof GantryError ? error.toInfo() : null,
    message: error instanceof Error ? error.message : String(error),
  });
  return null;
});

if (created) {
  const { session } = created;
  const [input = 'images'] = session.inputNames;
  const [output = 'output'] = session.outputNames;
  port.on('message', (request: InferenceThreadRequest) => {
    if (request.kind === 'release') {
      void session.release().finally(() => reply({ kind: 'released' }));
      return;
    }
    const { id, tensor, dims } = request;
    // Through a promise: the tensor's constructor throws at once on data that does not fit its
    // dimensions, and a throw here would end the thread, and every later run with it.
    Promise.resolve()
      .then(() => session.run({ [input]: new ort.Tensor('float32', tensor, dims) }))
      .then((outputs) => {
        const result = outputs[output];
        if (result?.type !== 'float32') throw new Error(`model output "${output}" is missing or not float32`);
        const data = result.data as Float32Array;
        reply({ kind: 'output', id, output: data, tensor }, [
          data.buffer as ArrayBuffer,
          tensor.buffer as ArrayBuffer,
        ]);
      })
      .catch((error: unknown) =>
        reply({ kind: 'failed', id, message: error instanceof Error ? error.message : String(error) }),
      );
  });
  const [metadata] = session.inputMetadata;
  reply({
    kind: 'ready',
    device: created.device,
    fallback: created.fallback,
    inputShape: metadata?.isTensor ? [...metadata.shape] : null,
  });
}

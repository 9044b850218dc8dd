import { GantryError } from '@gantry/contracts';
import { startModuleThread } from '@gantry/queue-runtime';
import type {
  InferenceThreadData,
  InferenceThreadReply,
  InferenceThreadRequest,
} from './inference-thread-messages.js';

/** An onnxruntime session (the detector's, the classifier's), run on a thread of the engine process's own. */
export interface InferenceThread {
  /** The device that really runs the model, and why a GPU request fell back to the CPU. */
  readonly device: 'cpu' | 'gpu';
  readonly fallback: string | null;
  /** The first input's dimensions as the model declares them (a name for a free one); null when not a tensor. */
  readonly inputShape: readonly (number | string)[] | null;
  /**
   * Runs the model on `tensor` (`dims`), which is transferred to the thread and detached here; the
   * answer holds the first output and the input's buffer, handed back for the next batch.
   */
  run(tensor: Float32Array, dims: readonly number[]): Promise<{ output: Float32Array; tensor: Float32Array }>;
  release(): Promise<void>;
}

const entry = new URL(
  `./inference-thread-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * Starts the thread and creates the session in it (on the requested device, as `createDeviceSession`
 * does). onnxruntime-node runs a session synchronously on the thread that calls it: on the engine's
 * main thread a batch of 8 held it for ~160 ms, in which the decodes of the next jobs (sharp's
 * callbacks), their messages from the worker and every cancel waited. On a thread of its own the
 * next batch is decoded while this one runs.
 */
export function startInferenceThread(data: InferenceThreadData): Promise<InferenceThread> {
  const worker = startModuleThread(entry, data);
  const pending = new Map<
    number,
    {
      resolve: (value: { output: Float32Array; tensor: Float32Array }) => void;
      reject: (error: Error) => void;
    }
  >();
  let nextId = 0;
  let released: (() => void) | null = null;
  let gone: Error | null = null;
  const send = (request: InferenceThreadRequest, transfer: ArrayBuffer[] = []) =>
    worker.postMessage(request, transfer);

  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      gone ??= error;
      reject(error);
      for (const run of pending.values()) run.reject(error);
      pending.clear();
      released?.();
    };
    // Runs still waiting, and every later one, fail as a crashed engine's would: typed and retryable. The
    // worker's runtime replaces an engine process that answers ENGINE_CRASHED, as one that exited.
    const crashed = (why: string) =>
      fail(new GantryError('ENGINE_CRASHED', `the engine's inference thread ${why}`));
    worker.on('error', (error) => crashed(`failed: ${error.message}`));
    worker.on('exit', (code) => crashed(`exited (${code})`));
    worker.on('message', (reply: InferenceThreadReply) => {
      switch (reply.kind) {
        case 'setup-failed': {
          // A typed refusal keeps its code and details; anything else is onnxruntime's own message,
          // which the detector reports as the model it could not load.
          const info = reply.error;
          reject(info ? GantryError.fromInfo(info, 'MODEL_UNAVAILABLE') : new Error(reply.message));
          void worker.terminate();
          return;
        }
        case 'ready':
          resolve({
            device: reply.device,
            fallback: reply.fallback,
            inputShape: reply.inputShape,
            run(tensor, dims) {
              if (gone) return Promise.reject(gone);
              const id = nextId++;
              return new Promise((resolveRun, rejectRun) => {
                pending.set(id, { resolve: resolveRun, reject: rejectRun });
                send({ kind: 'run', id, tensor, dims }, [tensor.buffer as ArrayBuffer]);
              });
            },
            async release() {
              if (gone) return;
              await new Promise<void>((done) => {
                released = done;
                send({ kind: 'release' });
              });
              await worker.terminate();
            },
          });
          return;
        case 'output':
          pending.get(reply.id)?.resolve({ output: reply.output, tensor: reply.tensor });
          pending.delete(reply.id);
          return;
        case 'failed':
          pending.get(reply.id)?.reject(new Error(reply.message));
          pending.delete(reply.id);
          return;
        case 'released':
          released?.();
      }
    });
  });
}

import type { ErrorInfo } from '@gantry/contracts';
import type { InferenceSession } from 'onnxruntime-node';
import type { DeviceRequest } from './create-device-session.js';

/** What an inference thread starts from. */
export interface InferenceThreadData {
  model: Uint8Array;
  device: DeviceRequest;
  options: InferenceSession.SessionOptions;
}

export type InferenceThreadRequest =
  | {
      kind: 'run';
      id: number;
      /** The input, transferred; it comes back with the output, for the next batch. */
      tensor: Float32Array;
      dims: readonly number[];
    }
  | { kind: 'release' };

export type InferenceThreadReply =
  | {
      kind: 'ready';
      device: 'cpu' | 'gpu';
      fallback: string | null;
      /** The first input's dimensions as the model declares them (a name for a free one); null when not a tensor. */
      inputShape: (number | string)[] | null;
    }
  /** `error` when the session was refused with a typed error (a strict GPU request), else only its message. */
  | { kind: 'setup-failed'; error: ErrorInfo | null; message: string }
  | { kind: 'output'; id: number; output: Float32Array; tensor: Float32Array }
  | { kind: 'failed'; id: number; message: string }
  | { kind: 'released' };

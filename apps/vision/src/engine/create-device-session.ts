import { GantryError } from '@gantry/contracts';
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';

type Ort = typeof OrtModule;

export interface DeviceRequest {
  /** WORKER_DEVICE. */
  device: 'cpu' | 'gpu';
  /** WORKER_DEVICE_STRICT: fail rather than fall back to the CPU. */
  strict: boolean;
}

export interface DeviceSession {
  session: InferenceSession;
  /** The device that really runs the model. */
  device: 'cpu' | 'gpu';
  /** Why a GPU request runs on the CPU; null when it got what it asked for. */
  fallback: string | null;
}

/**
 * Creates the inference session on the requested device. `gpu` asks for onnxruntime's CUDA
 * execution provider (with the CPU one behind it for operators CUDA lacks). When the provider
 * cannot load — onnxruntime-node installed without its CUDA files, no driver, no GPU — the
 * session is created on the CPU and the reason returned, or, when strict, nothing runs at all.
 */
export async function createDeviceSession(
  ort: Ort,
  model: Uint8Array,
  request: DeviceRequest,
  options: InferenceSession.SessionOptions,
): Promise<DeviceSession> {
  let fallback: string | null = null;
  if (request.device === 'gpu') {
    // onnxruntime prints its own error for a provider that fails to load, a second line beside the
    // one the worker logs. Its log level is fixed when its first session is made, which is this one;
    // failures still reach us as exceptions.
    ort.env.logLevel = 'fatal';
    try {
      const session = await ort.InferenceSession.create(model, {
        ...options,
        executionProviders: ['cuda', 'cpu'],
      });
      return { session, device: 'gpu', fallback: null };
    } catch (error) {
      fallback = `onnxruntime's CUDA execution provider is unavailable: ${(error as Error).message}`;
      if (request.strict) {
        throw new GantryError(
          'MODEL_UNAVAILABLE',
          `WORKER_DEVICE=gpu and WORKER_DEVICE_STRICT=true, but ${fallback}`,
          {
            details: { device: 'gpu', strict: true },
            cause: error,
          },
        );
      }
    }
  }
  const session = await ort.InferenceSession.create(model, { ...options, executionProviders: ['cpu'] });
  return { session, device: 'cpu', fallback };
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GantryError, type ModelInfo } from '@gantry/contracts';
import { yoloxNano } from './yolox-nano.js';

export interface YoloxFiles {
  /** The verified ONNX bytes: the session is created from these, not from the path, so what was hashed is what runs. */
  model: Uint8Array;
  /** Class names in output order. */
  labels: string[];
  info: ModelInfo;
}

const fetchHint = 'run `npm run models:fetch` or point the models directory at a folder that has them';

async function readVerified(file: string, sha256: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new GantryError('MODEL_UNAVAILABLE', `Model file ${file} cannot be read; ${fetchHint}`, {
      details: { model: yoloxNano.name, file },
      cause: error,
    });
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `Model file ${file} fails its checksum (sha256 ${actual}, expected ${sha256}); ${fetchHint}`,
      { details: { model: yoloxNano.name, file, sha256: actual, expected_sha256: sha256 } },
    );
  }
  return bytes;
}

/** Reads the YOLOX-Nano model and its labels from `<modelsDir>/yolox-nano/`, refusing any file that is not the pinned one. */
export async function loadYoloxFiles(modelsDir: string): Promise<YoloxFiles> {
  const folder = path.join(modelsDir, yoloxNano.folder);
  const [model, labels] = await Promise.all([
    readVerified(path.join(folder, yoloxNano.modelFile), yoloxNano.modelSha256),
    readVerified(path.join(folder, yoloxNano.labelsFile), yoloxNano.labelsSha256),
  ]);
  return {
    model,
    labels: labels.toString('utf8').trim().split('\n'),
    info: { name: yoloxNano.name, version: yoloxNano.version, sha256: yoloxNano.modelSha256 },
  };
}

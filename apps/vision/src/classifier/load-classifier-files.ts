import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GantryError, type ModelInfo } from '@gantry/contracts';
import {
  type ClassifierManifest,
  manifestInvalid,
  parseLabels,
  readClassifierManifest,
} from './classifier-manifest.js';

export interface ClassifierFiles {
  manifest: ClassifierManifest;
  /** The verified ONNX bytes: the session is made from these, so what was hashed is what runs. */
  model: Uint8Array;
  labels: string[];
  info: ModelInfo;
}

async function readModelFile(folder: string, manifest: ClassifierManifest): Promise<Buffer> {
  const file = path.join(folder, manifest.model_file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `Classifier model ${file} cannot be read; run \`npm run models:fetch -- --classifier\``,
      {
        details: { model: manifest.name, file },
        cause: error,
      },
    );
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== manifest.model_sha256) {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `Classifier model ${file} fails its checksum (sha256 ${actual}, manifest says ${manifest.model_sha256})`,
      { details: { model: manifest.name, file, sha256: actual, expected_sha256: manifest.model_sha256 } },
    );
  }
  return bytes;
}

async function readLabels(folder: string, manifest: ClassifierManifest): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path.join(folder, manifest.labels_file), 'utf8');
  } catch (error) {
    throw manifestInvalid(
      folder,
      `labels_file ${manifest.labels_file} cannot be read (${(error as Error).message})`,
    );
  }
  let labels: string[];
  try {
    labels = parseLabels(text, manifest.labels_format);
  } catch (error) {
    throw manifestInvalid(folder, `labels_file ${manifest.labels_file}: ${(error as Error).message}`);
  }
  if (labels.length < 2)
    throw manifestInvalid(folder, `labels_file ${manifest.labels_file} has fewer than 2 labels`);
  return labels;
}

/** The classifier of a folder (manifest, verified model, labels); null when the folder has no manifest. */
export async function loadClassifierFiles(folder: string): Promise<ClassifierFiles | null> {
  const manifest = await readClassifierManifest(folder);
  if (!manifest) return null;
  const [model, labels] = await Promise.all([readModelFile(folder, manifest), readLabels(folder, manifest)]);
  return {
    manifest,
    model,
    labels,
    info: { name: manifest.name, version: manifest.version, sha256: manifest.model_sha256 },
  };
}

import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeColourClassifier } from '@gantry/vision-worker/colour-classifier';
import { modelsDir } from './engine-stack.js';

export interface VisionModelsDir {
  /** The vision worker's MODELS_DIR. */
  dir: string;
  /** The installed classifier's manifest; null when `classifier/` was left out. */
  classifier: Awaited<ReturnType<typeof writeColourClassifier>> | null;
  remove(): Promise<void>;
}

/**
 * A models directory of a vision worker's own: the shared YOLOX-Nano folder linked in and, when asked,
 * the dominant-colour classifier written to `classifier/` as `write-colour-classifier` installs it.
 * The shared directory is read-only and may or may not hold a classifier; this one says which.
 */
export async function visionModelsDir({ classifier }: { classifier: boolean }): Promise<VisionModelsDir> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gantry-e2e-models-'));
  await symlink(path.join(modelsDir, 'yolox-nano'), path.join(dir, 'yolox-nano'));
  return {
    dir,
    classifier: classifier ? await writeColourClassifier(path.join(dir, 'classifier')) : null,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

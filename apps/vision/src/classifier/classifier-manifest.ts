import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import { z } from 'zod';

const fileName = z
  .string()
  .regex(/^[\w.-]+$/, 'a plain file name inside the classifier folder (no slashes, no ..)')
  .refine((name) => !/^\.+$/.test(name), 'a plain file name inside the classifier folder');
const channelTriple = z.tuple([z.number(), z.number(), z.number()]);

/**
 * `manifest.json` of a classifier folder: how to feed the model and read its output. Written by
 * `npm run models:fetch` for MobileNetV2, or by hand for any other ONNX image classifier.
 */
export const ClassifierManifest = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  model_file: fileName,
  /** sha256 of the ONNX file: a model whose bytes differ is refused. */
  model_sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits'),
  labels_file: fileName,
  /** `lines`: one label per line; `indexed`: `<index>, <label>` per line (PyTorch hub's imagenet_classes.txt). */
  labels_format: z.enum(['lines', 'indexed']).default('lines'),
  input: z.object({
    width: z.number().int().min(1).max(4096),
    height: z.number().int().min(1).max(4096),
    layout: z.enum(['NCHW', 'NHWC']),
    colour_order: z.enum(['RGB', 'BGR']),
    /** `stretch`: the whole image to width × height; `center_crop`: scale the short side, crop the middle. */
    resize: z.enum(['stretch', 'center_crop']).default('stretch'),
    /** Pixel values (0–255) are divided by this before mean and std apply: 255 for 0–1 models, 1 for raw. */
    scale: z.number().positive().default(255),
    /** Per channel, in R, G, B order whatever colour_order says. */
    mean: channelTriple.default([0, 0, 0]),
    std: channelTriple
      .refine((std) => std.every((value) => value > 0), 'every std must be above 0')
      .default([1, 1, 1]),
  }),
  /** `logits`: the engine applies softmax; `softmax`: the model already outputs probabilities. */
  output: z.enum(['logits', 'softmax']),
});
export type ClassifierManifest = z.infer<typeof ClassifierManifest>;

const manifestFile = 'manifest.json';

export const manifestInvalid = (folder: string, message: string, details: Record<string, unknown> = {}) =>
  new GantryError('MODEL_MANIFEST_INVALID', `${path.join(folder, manifestFile)}: ${message}`, {
    details: { folder, ...details },
  });

/** The parsed manifest of a classifier folder; null when the folder has none (no classifier installed). */
export async function readClassifierManifest(folder: string): Promise<ClassifierManifest | null> {
  let text: string;
  try {
    text = await readFile(path.join(folder, manifestFile), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw manifestInvalid(folder, `cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw manifestInvalid(folder, `is not JSON (${(error as Error).message})`);
  }
  const parsed = ClassifierManifest.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
    throw manifestInvalid(
      folder,
      issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '),
      { issues },
    );
  }
  return parsed.data;
}

/** Labels in output order from the labels file's text. */
export function parseLabels(text: string, format: ClassifierManifest['labels_format']): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (format === 'lines') return lines.map((line) => line.trim());
  return lines.map((line, index) => {
    const match = /^\s*(\d+)\s*[,:]\s*(.+?)\s*$/.exec(line);
    if (!match || Number(match[1]) !== index) {
      throw new Error(`line ${index + 1} is not "${index}, <label>"`);
    }
    return match[2] ?? '';
  });
}

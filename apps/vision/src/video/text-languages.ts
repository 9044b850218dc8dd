import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GantryError, type ModelInfo } from '@gantry/contracts';

const suffix = '.traineddata.gz';

/** The tesseract.js traineddata files of one directory: the languages frames may be read in. */
export interface TextLanguages {
  /** Absolute directory of the `<code>.traineddata.gz` files. */
  readonly dir: string;
  /**
   * One entry per language, named as the OCR worker names them: `tesseract-<code>`, the directory
   * name as version (`4.0.0_best_int`), the file's sha256.
   */
  readonly models: readonly ModelInfo[];
  /** VALIDATION_FAILED naming the installed codes unless every requested one is installed (as ocr.extract answers). */
  check(requested: readonly string[]): void;
}

/** Reads the language directory once, at engine start; MODEL_UNAVAILABLE when it holds no traineddata. */
export async function readTextLanguages(dir: string): Promise<TextLanguages> {
  const absolute = path.resolve(dir);
  const files = await readdir(absolute).catch((error: unknown) => {
    throw new GantryError('MODEL_UNAVAILABLE', `cannot read the tesseract language directory ${absolute}`, {
      details: { dir: absolute },
      cause: error,
    });
  });
  const codes = files
    .filter((file) => file.endsWith(suffix))
    .map((file) => file.slice(0, -suffix.length))
    .sort();
  if (codes.length === 0) {
    throw new GantryError('MODEL_UNAVAILABLE', `no *${suffix} file in ${absolute}`, {
      details: { dir: absolute },
    });
  }
  const version = path.basename(absolute);
  const models = await Promise.all(
    codes.map(async (code) => ({
      name: `tesseract-${code}`,
      version,
      sha256: createHash('sha256')
        .update(await readFile(path.join(absolute, `${code}${suffix}`)))
        .digest('hex'),
    })),
  );
  const installed = new Set(codes);
  return {
    dir: absolute,
    models,
    check(requested) {
      const missing = requested.filter((code) => !installed.has(code));
      if (missing.length === 0) return;
      throw new GantryError(
        'VALIDATION_FAILED',
        `language ${missing.map((code) => `"${code}"`).join(', ')} is not installed on this worker; available: ${codes.join(', ')}`,
        { details: { path: ['languages'], unknown: missing, available: codes } },
      );
    },
  };
}

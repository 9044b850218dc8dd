import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GantryError, type ModelInfo } from '@gantry/contracts';

const suffix = '.traineddata.gz';

/** Where tesseract.js reads language `code` in `dir` (gzip: true). */
export const languageFile = (dir: string, code: string): string => path.join(dir, `${code}${suffix}`);

/**
 * The English LSTM-only model shipped in npm by @tesseract.js-data/eng. `4.0.0_best_int` is the
 * integer-quantised "best" model (2.9 MB): same results as the 11 MB `4.0.0` set on our fixtures,
 * which also carries the legacy engine we do not run.
 */
export function defaultLanguageDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng')), '4.0.0_best_int');
}

/** The traineddata files in one local directory: the only languages a job may ask for. */
export interface LanguageData {
  /** Absolute directory of the traineddata files (`<code>.traineddata.gz` for tesseract.js). */
  readonly dir: string;
  readonly codes: readonly string[];
  /**
   * One entry per language: `tesseract-<code>`, the directory name as version, the file's sha256: the
   * OCR worker and the vision worker (text in video frames) announce the same file by the same name.
   */
  readonly models: readonly ModelInfo[];
  /** The requested codes, deduplicated, or VALIDATION_FAILED naming the ones that exist. */
  resolve(requested: readonly string[]): string[];
}

/** Reads (and hashes) a tesseract.js language directory once, at engine start; MODEL_UNAVAILABLE when it holds no traineddata. */
export async function readLanguageData(dir: string): Promise<LanguageData> {
  const absolute = path.resolve(dir);
  let files: string[];
  try {
    files = await readdir(absolute);
  } catch (error) {
    throw new GantryError('MODEL_UNAVAILABLE', `cannot read the tesseract language directory ${absolute}`, {
      details: { dir: absolute },
      cause: error,
    });
  }
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
        .update(await readFile(languageFile(absolute, code)))
        .digest('hex'),
    })),
  );
  return languageSet(absolute, codes, models);
}

/** The languages of one recognizer's data directory, and the check of a job's request against them. */
export function languageSet(
  dir: string,
  codes: readonly string[],
  models: readonly ModelInfo[],
): LanguageData {
  const available = new Set(codes);
  return {
    dir,
    codes,
    models,
    resolve(requested) {
      if (requested.length === 0) {
        throw new GantryError('VALIDATION_FAILED', 'give at least one language', {
          details: { path: ['languages'], available: codes },
        });
      }
      const missing = requested.filter((code) => !available.has(code));
      if (missing.length > 0) {
        throw new GantryError(
          'VALIDATION_FAILED',
          `language ${missing.map((code) => `"${code}"`).join(', ')} is not installed on this worker; available: ${codes.join(', ')}`,
          { details: { path: ['languages'], unknown: missing, available: codes } },
        );
      }
      return [...new Set(requested)];
    },
  };
}

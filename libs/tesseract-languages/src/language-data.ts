import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GantryError, type ModelInfo } from '@gantry/contracts';

/**
 * Where tesseract reads its languages: a directory of `<code>.traineddata.gz` files (npm's
 * `@tesseract.js-data` packages; `gzip`) or of plain `<code>.traineddata` ones (Debian's
 * tesseract-ocr-<lang> packages, tesseract's tessdata repositories). tesseract.js reads one kind a worker.
 */
export interface LanguageSource {
  readonly dir: string;
  readonly gzip: boolean;
}

const extension = '.traineddata';
const gzipExtension = `${extension}.gz`;

/** The file language `code` is read from. */
export const languageFile = (source: LanguageSource, code: string): string =>
  path.join(source.dir, `${code}${source.gzip ? gzipExtension : extension}`);

/**
 * MODEL_UNAVAILABLE naming the traineddata files tesseract was loading when it failed: one of them is
 * cut short or corrupt (tesseract does not say which), and the job may succeed on a worker whose files are whole.
 */
export function languagesUnavailable(
  source: LanguageSource,
  languages: readonly string[],
  cause: unknown,
): GantryError {
  const said = cause instanceof Error ? cause.message : String(cause);
  return new GantryError(
    'MODEL_UNAVAILABLE',
    `tesseract could not load ${languages.join('+')} from ${source.dir}: ${said}`,
    {
      details: { languages: [...languages], files: languages.map((code) => languageFile(source, code)) },
      cause,
    },
  );
}

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
export interface LanguageData extends LanguageSource {
  readonly codes: readonly string[];
  /**
   * One entry per language: `tesseract-<code>`, the directory name as version, the file's sha256: the
   * OCR worker and the vision worker (text in video frames) announce the same file by the same name.
   */
  readonly models: readonly ModelInfo[];
  /** The requested codes, deduplicated, or VALIDATION_FAILED naming the ones that exist. */
  resolve(requested: readonly string[]): string[];
}

/** The language codes of the files with this extension; `osd` is tesseract's orientation model, not a language. */
const codesOf = (files: readonly string[], ending: string): string[] =>
  files
    .filter((file) => file.endsWith(ending))
    .map((file) => file.slice(0, -ending.length))
    .filter((code) => code !== 'osd')
    .sort();

/**
 * Reads (and hashes) a language directory once, at engine start. MODEL_UNAVAILABLE when it holds no
 * traineddata, or both kinds: which file a language would be read from must not depend on the language.
 */
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
  const packed = codesOf(files, gzipExtension);
  const plain = codesOf(files, extension);
  if (packed.length > 0 && plain.length > 0) {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `${absolute} holds both *${gzipExtension} (${packed.join(', ')}) and *${extension} (${plain.join(', ')}) files: keep one kind in a language directory`,
      { details: { dir: absolute } },
    );
  }
  const source = { dir: absolute, gzip: packed.length > 0 };
  const codes = source.gzip ? packed : plain;
  if (codes.length === 0) {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `no *${gzipExtension} or *${extension} language file in ${absolute}`,
      {
        details: { dir: absolute },
      },
    );
  }
  const version = path.basename(absolute);
  const models = await Promise.all(
    codes.map(async (code) => ({
      name: `tesseract-${code}`,
      version,
      sha256: createHash('sha256')
        .update(await readFile(languageFile(source, code)))
        .digest('hex'),
    })),
  );
  return languageSet(source, codes, models);
}

/** The languages of one recognizer's data directory, and the check of a job's request against them. */
export function languageSet(
  source: LanguageSource,
  codes: readonly string[],
  models: readonly ModelInfo[],
): LanguageData {
  const available = new Set(codes);
  return {
    ...source,
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

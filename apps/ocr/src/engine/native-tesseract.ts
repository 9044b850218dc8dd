import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { GantryError } from '@gantry/contracts';
import { type LanguageData, languageSet } from '@gantry/tesseract-languages';

const run = promisify(execFile);

/**
 * The command line that runs the native CLI as a child of this process that the kernel kills
 * (SIGKILL) when this process dies: a canceled job's engine process is SIGKILLed and has no chance
 * to kill its children itself. setpriv (util-linux, essential in Debian) sets the parent-death
 * signal, then execs tesseract in its place.
 */
export const nativeCommand = (binary: string, args: readonly string[]): [string, string[]] => [
  'setpriv',
  ['--pdeathsig', 'KILL', '--', binary, ...args],
];

/** The native CLI as found at boot: its version and the languages of its tessdata directory. */
export interface NativeTesseract {
  binary: string;
  /** e.g. `5.3.0`, from `tesseract --version`. */
  version: string;
  /** `tesseract-<code>` models, version `native-<version>`, the sha256 of `<code>.traineddata`. */
  languages: LanguageData;
}

const missing = (binary: string, reason: string, cause?: unknown) =>
  new GantryError(
    'MODEL_UNAVAILABLE',
    `OCR_ENGINE=native, but ${reason}: install Debian's tesseract-ocr (and tesseract-ocr-<lang> for other languages) or set OCR_TESSERACT_PATH (currently ${binary})`,
    { details: { model: 'tesseract', file: binary }, ...(cause === undefined ? {} : { cause }) },
  );

async function output(binary: string, args: string[]): Promise<string> {
  const [file, argv] = nativeCommand(binary, args);
  try {
    const { stdout, stderr } = await run(file, argv, { timeout: 30_000 });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const said = (error as { stderr?: string }).stderr?.trim();
    throw missing(
      binary,
      code === 'ENOENT'
        ? 'setpriv (util-linux) is not on PATH'
        : `\`${binary} ${args.join(' ')}\` failed${said ? ` (${said.split('\n')[0]})` : ''}`,
      error,
    );
  }
}

/**
 * What `tesseract --list-langs` printed: its tessdata directory and language codes, sorted; null where
 * the output is not that listing. It reads `List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (2):`,
 * then a code a line; osd is the orientation model, not a language (pages are turned upright before recognition).
 */
export function parseLanguageListing(output: string): { dir: string; codes: string[] } | null {
  const header = /List of available languages in "([^"]+)"[^\n]*\n/.exec(output);
  if (!header?.[1]) return null;
  const codes = output
    .slice(header.index + header[0].length)
    .split('\n')
    .map((line) => line.trim())
    .filter((code) => /^[A-Za-z0-9_]+$/.test(code) && code !== 'osd')
    .sort();
  return { dir: path.resolve(header[1]), codes };
}

/**
 * Checks at boot that the CLI runs and has language data, in `tessdata` if given (else its own);
 * MODEL_UNAVAILABLE says what to install.
 */
export async function findNativeTesseract(binary: string, tessdata?: string): Promise<NativeTesseract> {
  const [about, listing] = await Promise.all([
    output(binary, ['--version']),
    output(binary, [...(tessdata === undefined ? [] : ['--tessdata-dir', tessdata]), '--list-langs']),
  ]);
  const version = /^tesseract v?(\S+)/m.exec(about)?.[1];
  const found = parseLanguageListing(listing);
  if (!version || !found) throw missing(binary, `\`${binary}\` is not the tesseract CLI`);
  const { dir, codes } = found;
  if (codes.length === 0 && tessdata !== undefined) {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `OCR_ENGINE=native, but ${dir} (OCR_LANGUAGE_DIR) holds no <code>.traineddata file: the CLI reads plain ones, not .traineddata.gz`,
      { details: { model: 'tesseract', dir } },
    );
  }
  if (codes.length === 0) throw missing(binary, `no language data in ${dir}`);
  const models = await Promise.all(
    codes.map(async (code) => {
      const file = path.join(dir, `${code}.traineddata`);
      const bytes = await readFile(file).catch((error: unknown) => {
        throw missing(binary, `cannot read ${file}`, error);
      });
      return {
        name: `tesseract-${code}`,
        version: `native-${version}`,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    }),
  );
  return { binary, version, languages: languageSet({ dir, gzip: false }, codes, models) };
}

import { spawnSync } from 'node:child_process';
import type { OcrEngineKind } from '../engine/index.js';
import { parseLanguageListing } from '../engine/native-tesseract.js';

/** Debian's tesseract-ocr, where OCR_ENGINE=native finds it by default. */
const nativeTesseractPath = '/usr/bin/tesseract';

const listing = spawnSync(nativeTesseractPath, ['--list-langs'], { encoding: 'utf8' });

/** The CLI's tessdata directory and its languages (Debian's tesseract-ocr-<lang>), or null without the CLI. */
export const nativeTessdata: { dir: string; codes: readonly string[] } | null =
  listing.status === 0 ? parseLanguageListing(listing.stdout) : null;

/** Why native-engine tests cannot run here, or null where Debian's tesseract CLI with English runs. */
export const nativeTesseractMissing: string | null =
  nativeTessdata === null
    ? `${nativeTesseractPath} cannot be run (apt-get install tesseract-ocr)`
    : nativeTessdata.codes.includes('eng')
      ? null
      : 'no English data (apt-get install tesseract-ocr-eng)';

/**
 * Both engines for tests that hold for either: `skip` says why the native one is skipped where its
 * CLI is missing (the test name carries it, so a skipped run says what to install).
 */
export const ocrEngineKinds: readonly { kind: OcrEngineKind; skip: string | null }[] = [
  { kind: 'tesseract.js', skip: null },
  { kind: 'native', skip: nativeTesseractMissing },
];

/** The title of an engine's describe block, with the reason where it is skipped. */
export const engineTitle = ({ kind, skip }: { kind: OcrEngineKind; skip: string | null }): string =>
  `${kind} engine${skip ? ` — skipped: ${skip}` : ''}`;

import { defaultLanguageDir, type LanguageData, readLanguageData } from '@gantry/tesseract-languages';
import { NativeRecognizer } from './native-recognizer.js';
import { findNativeTesseract } from './native-tesseract.js';
import type { StartRecognizer } from './page-recognizer.js';
import { RecognizerProcess } from './recognizer-process.js';

/** Which tesseract reads the pages: tesseract.js (wasm, embedded, the default) or Debian's CLI. */
export type OcrEngineKind = 'tesseract.js' | 'native';

export interface RecognizerOptions {
  engine?: OcrEngineKind | undefined;
  /**
   * The languages: a directory of `<code>.traineddata.gz` or `<code>.traineddata` files (tesseract.js;
   * default: English from npm), or of `<code>.traineddata` files (native; default: the CLI's tessdata).
   */
  langDir?: string | undefined;
  /** tesseract.js: languages each recognizer process loads at start. */
  warmLanguages?: readonly string[] | undefined;
  /** native: the CLI (default /usr/bin/tesseract, Debian's tesseract-ocr). */
  tesseractPath?: string | undefined;
}

export interface Recognizers {
  /** The languages jobs may ask for, and their models. */
  data: LanguageData;
  start: StartRecognizer;
}

/** The language data and recognizer factory of the configured engine; MODEL_UNAVAILABLE where it is missing. */
export async function recognizersFor(options: RecognizerOptions): Promise<Recognizers> {
  if (options.engine === 'native') {
    const native = await findNativeTesseract(options.tesseractPath ?? '/usr/bin/tesseract', options.langDir);
    // Nothing to warm: the CLI loads its model for every page.
    return {
      data: native.languages,
      start: () => Promise.resolve(new NativeRecognizer(native.binary, native.languages.dir)),
    };
  }
  const data = await readLanguageData(options.langDir ?? defaultLanguageDir());
  const warm = data.resolve(options.warmLanguages ?? ['eng']);
  return { data, start: () => RecognizerProcess.start(warm, data) };
}

import { isDeepStrictEqual } from 'node:util';
import type { GantryError } from '@gantry/contracts';
import { languagesUnavailable } from '@gantry/tesseract-languages';
import type { GreyImage } from './grey-image.js';
import type { PageReading, PageRecognizer } from './page-recognizer.js';
import type { Preprocessing } from './preprocessing.js';
import { straightenPage } from './straighten-page.js';
import { TesseractStream, UnlinkedPage } from './tesseract-stream.js';
import { parseTesseractTsv } from './tesseract-tsv.js';
import { tesseractParameters } from './tesseract-settings.js';

/**
 * The native `tesseract` CLI, one warm process (a child of the engine process, killed with it) that
 * reads this recognizer's pages one after another: the prepared page in as an unlinked TIFF file, TSV
 * out, parsed into the lines and words the tesseract.js recognizer returns. `--psm 6` is
 * tesseract.js's page segmentation (the library's default, a single block; the CLI's own default is
 * 3), so both engines give the reading-order code the same lines. A page asking for other languages
 * or parameters than the running CLI's replaces it.
 */
export class NativeRecognizer implements PageRecognizer {
  readonly #binary: string;
  readonly #tessdata: string;
  #stream: TesseractStream | null = null;
  #busy = false;
  #terminated = false;

  /** `tessdata`: the directory whose languages were announced at boot, so those are the files read. */
  constructor(binary: string, tessdata: string) {
    this.#binary = binary;
    this.#tessdata = tessdata;
  }

  /** Only terminate() ends it: a failed or canceled page costs the CLI, which the next page restarts. */
  get broken(): boolean {
    return this.#terminated;
  }

  /**
   * Straightens the page in this (the engine) process, then has the CLI read it. The CLI's own
   * process gives the pages of a document their cores; their preparation shares this one.
   */
  async readPage(
    page: GreyImage,
    languages: readonly string[],
    steps: Preprocessing,
    _onFraction?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<PageReading> {
    if (this.#terminated) throw new Error('recognizer terminated');
    if (this.#busy) throw new Error('native recognizer is busy');
    this.#busy = true;
    try {
      signal?.throwIfAborted();
      const { image, settings, geometry } = await straightenPage(page, steps);
      signal?.throwIfAborted();
      const args = [
        ...['--tessdata-dir', this.#tessdata, '--oem', '1', '--psm', '6', '-l', languages.join('+')],
        ...Object.entries(tesseractParameters(settings)).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
      ];
      const stream = await this.#streamFor(args);
      const file = await UnlinkedPage.write(image);
      const kill = (): void => void stream.kill();
      signal?.addEventListener('abort', kill, { once: true });
      try {
        // Canceled while the page file was written: the listener above came too late to hear it.
        signal?.throwIfAborted();
        const rows = await stream.read(file.path);
        return { text: parseTesseractTsv(rows), geometry };
      } catch (error) {
        signal?.throwIfAborted();
        throw this.#unloadable(languages, error) ?? error;
      } finally {
        signal?.removeEventListener('abort', kill);
        await file.close();
      }
    } finally {
      this.#busy = false;
    }
  }

  /**
   * MODEL_UNAVAILABLE naming the files, as the tesseract.js recognizer says it, where the CLI ended
   * because a language file would not load (cut short, corrupt); the job may succeed on a worker whose
   * files are whole. The CLI names the file, then ends with this line, since tesseract 4.
   */
  #unloadable(languages: readonly string[], error: unknown): GantryError | null {
    if (!(error instanceof Error) || !error.message.endsWith('Could not initialize tesseract.')) return null;
    return languagesUnavailable({ dir: this.#tessdata, gzip: false }, languages, error);
  }

  async #streamFor(args: string[]): Promise<TesseractStream> {
    const running = this.#stream;
    if (running && !running.ended && isDeepStrictEqual(running.args, args)) return running;
    this.#stream = null;
    await running?.kill();
    const stream = await TesseractStream.start(this.#binary, args);
    this.#stream = stream;
    return stream;
  }

  async terminate(): Promise<void> {
    this.#terminated = true;
    await this.#stream?.kill();
  }
}

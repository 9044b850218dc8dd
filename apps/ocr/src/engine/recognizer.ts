import { Worker as Thread } from 'node:worker_threads';
import { GantryError } from '@gantry/contracts';
import { createWorker, OEM, type LoggerMessage, type Worker } from 'tesseract.js';
import type { GreyImage } from './grey-image.js';
import { languagesUnavailable, type LanguageSource } from '@gantry/tesseract-languages';
import { toTiff } from './tiff.js';
import { type TesseractSettings, tesseractParameters } from './tesseract-settings.js';
import type { RecognizedText } from './recognized-text.js';
import { parseTesseractTsv } from './tesseract-tsv.js';

interface Progress {
  listener?: ((fraction: number) => void) | undefined;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One warm tesseract.js worker (a worker thread running the wasm core) with its languages loaded.
 * Fully offline: traineddata is read from its language directory, nothing is cached in the working directory.
 */
export class Recognizer {
  #languages: string;
  readonly #source: LanguageSource;
  #broken: Error | null = null;
  readonly #worker: Worker;
  readonly #died: Promise<never>;
  /** Where tesseract's "recognizing text" progress goes; set for the length of one recognize(). */
  readonly #progress: Progress;

  private constructor(worker: Worker, languages: string, source: LanguageSource, progress: Progress) {
    this.#worker = worker;
    this.#languages = languages;
    this.#source = source;
    this.#progress = progress;
    this.#died = Recognizer.#whenThreadDies(worker);
  }

  static async start(languages: readonly string[], source: LanguageSource): Promise<Recognizer> {
    const key = languages.join('+');
    const progress: Progress = {};
    let failStart: ((reason: Error) => void) | undefined;
    const startFailed = new Promise<never>((_, reject) => (failStart = reject));
    const worker = await Promise.race([
      createWorker(key, OEM.LSTM_ONLY, {
        langPath: source.dir,
        cacheMethod: 'none',
        gzip: source.gzip,
        logger: (event: LoggerMessage) => {
          if (event.status === 'recognizing text') progress.listener?.(event.progress);
        },
        // Without a handler tesseract.js rethrows a failed request from its message listener, an
        // uncaught exception; with one, the request's own promise rejects and we handle it there.
        // A failed start never settles createWorker at all, so it ends the race instead.
        errorHandler: (data: unknown) => failStart?.(new Error(`tesseract: ${message(data)}`)),
      }),
      startFailed,
    ]).catch((error: unknown) => {
      throw languagesUnavailable(source, languages, error);
    });
    failStart = undefined;
    return new Recognizer(worker, key, source, progress);
  }

  // tesseract.js never notices its thread dying (wasm out of memory, abort): its promises would
  // hang. The thread is on the worker object, though not in its types.
  static #whenThreadDies(worker: Worker): Promise<never> {
    const thread: unknown = (worker as unknown as { worker?: unknown }).worker;
    const died = new Promise<never>((_, reject) => {
      if (!(thread instanceof Thread)) return;
      thread.once('error', (error) => reject(new Error(`tesseract worker thread failed: ${error.message}`)));
      thread.once('exit', (code) => reject(new Error(`tesseract worker thread exited with code ${code}`)));
    });
    died.catch(() => undefined);
    return died;
  }

  /** Set once the worker thread died or tesseract failed: the pool replaces it. */
  get broken(): boolean {
    return this.#broken !== null;
  }

  async recognize(
    image: GreyImage,
    languages: readonly string[],
    settings: TesseractSettings,
    onFraction?: (fraction: number) => void,
  ): Promise<RecognizedText> {
    if (this.#broken) throw this.#broken;
    const tiff = toTiff(image);
    try {
      const key = languages.join('+');
      if (key !== this.#languages) {
        await Promise.race([this.#worker.reinitialize(key, OEM.LSTM_ONLY), this.#died]).catch(
          (error: unknown) => {
            throw languagesUnavailable(this.#source, languages, error);
          },
        );
        this.#languages = key;
      }
      // Parameters stick to the worker: every page sets all of them, whatever the page before set.
      await Promise.race([this.#worker.setParameters(tesseractParameters(settings)), this.#died]);
      this.#progress.listener = onFraction;
      // TSV, as the native engine reads it: the same words and boxes as tesseract.js's block tree,
      // with exact word confidences (the tree truncates them), for 1–2 % less CPU than building the tree.
      const result = await Promise.race([this.#worker.recognize(tiff, {}, { tsv: true }), this.#died]);
      return parseTesseractTsv((result.data.tsv ?? '').split('\n'));
    } catch (error) {
      // Either way the worker is of no further use: a failed load leaves it without languages.
      this.#broken =
        error instanceof GantryError
          ? error
          : new Error(`tesseract failed: ${message(error)}`, { cause: error });
      throw this.#broken;
    } finally {
      this.#progress.listener = undefined;
    }
  }

  async terminate(): Promise<void> {
    this.#broken ??= new Error('recognizer terminated');
    await this.#worker.terminate();
  }
}

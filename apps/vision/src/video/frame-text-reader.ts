import type { ModelInfo } from '@gantry/contracts';
import { defaultLanguageDir, languagesUnavailable, readLanguageData } from '@gantry/tesseract-languages';
import { createWorker, OEM, type Worker } from 'tesseract.js';

export interface FrameTextReader {
  /** One per installed language, as the OCR worker announces them: `tesseract-<code>`, version, sha256. */
  readonly models: readonly ModelInfo[];
  /** VALIDATION_FAILED unless every code is installed here. */
  checkLanguages(codes: readonly string[]): void;
  /** The text tesseract reads in a frame (PNG) in these (installed) languages, trimmed; empty when there is none. */
  read(png: Buffer, languages: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One tesseract.js worker (a worker thread of the engine process, so it dies with the engine on
 * cancel), started on the first frame asked for `ocr`: video jobs without OCR never pay its start.
 * The language directory is read (and hashed, for the worker's announcement) when the reader is made.
 */
export async function createFrameTextReader({
  langDir = defaultLanguageDir(),
}: { langDir?: string } = {}): Promise<FrameTextReader> {
  const installed = await readLanguageData(langDir);
  let worker: Promise<Worker> | undefined;
  /** The languages the worker has loaded (`eng+deu`). */
  let loaded = '';
  /** Reads run one after another: switching languages must not happen under a frame being read. */
  let queue: Promise<unknown> = Promise.resolve();

  const unavailable = (key: string, error: unknown) => languagesUnavailable(installed, key.split('+'), error);

  // A frame carries no resolution: tesseract would guess one from the glyphs and, on small text,
  // warn on every frame before falling back to 70 dpi. 70 from the start keeps logs quiet; set again
  // after each language switch, which starts tesseract afresh.
  const quietDpi = (started: Worker) => started.setParameters({ user_defined_dpi: '70' });

  const start = async (key: string): Promise<Worker> => {
    let failStart: ((reason: Error) => void) | undefined;
    const startFailed = new Promise<never>((_, reject) => (failStart = reject));
    try {
      const started = await Promise.race([
        createWorker(key, OEM.LSTM_ONLY, {
          langPath: installed.dir,
          cacheMethod: 'none',
          gzip: installed.gzip,
          // Without a handler tesseract.js throws a failed request from its message listener; a
          // failed start never settles createWorker, so the handler ends the race instead.
          errorHandler: (data: unknown) => failStart?.(new Error(`tesseract: ${message(data)}`)),
        }),
        startFailed,
      ]);
      await quietDpi(started);
      loaded = key;
      return started;
    } catch (error) {
      throw unavailable(key, error);
    } finally {
      failStart = undefined;
    }
  };

  const readFrame = async (png: Buffer, languages: readonly string[]): Promise<string> => {
    const key = installed.resolve(languages).join('+');
    worker ??= start(key).catch((error: unknown) => {
      worker = undefined;
      throw error;
    });
    const ready = await worker;
    if (loaded !== key) {
      try {
        await ready.reinitialize(key, OEM.LSTM_ONLY);
        await quietDpi(ready);
        loaded = key;
      } catch (error) {
        // Half switched, the worker is of no further use: the next frame starts a fresh one.
        worker = undefined;
        await ready.terminate().catch(() => undefined);
        throw unavailable(key, error);
      }
    }
    const { data } = await ready.recognize(png);
    return data.text.trim();
  };

  return {
    models: installed.models,
    checkLanguages: (codes) => void installed.resolve(codes),
    read(png, languages) {
      const result = queue.then(() => readFrame(png, languages));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      const started = worker;
      worker = undefined;
      await started?.then((w) => w.terminate()).catch(() => undefined);
    },
  };
}

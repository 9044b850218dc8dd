import { createRequire } from 'node:module';
import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import { createWorker, OEM, type Worker } from 'tesseract.js';

/**
 * The English LSTM model shipped in npm by @tesseract.js-data/eng, the one the OCR worker reads by
 * default (`4.0.0_best_int`, 2.9 MB): no download, no CDN.
 */
function defaultTextLanguageDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng')), '4.0.0_best_int');
}

export interface FrameTextReader {
  /** The text tesseract reads in a frame (PNG), trimmed; empty when there is none. */
  read(png: Buffer): Promise<string>;
  close(): Promise<void>;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One tesseract.js worker (a worker thread of the engine process, so it dies with the engine on
 * cancel), started on the first frame asked for `ocr`: video jobs without OCR never pay its start.
 */
export function createFrameTextReader({
  langDir = defaultTextLanguageDir(),
}: { langDir?: string } = {}): FrameTextReader {
  let worker: Promise<Worker> | undefined;

  const start = async (): Promise<Worker> => {
    let failStart: ((reason: Error) => void) | undefined;
    const startFailed = new Promise<never>((_, reject) => (failStart = reject));
    try {
      const worker = await Promise.race([
        createWorker('eng', OEM.LSTM_ONLY, {
          langPath: langDir,
          cacheMethod: 'none',
          gzip: true,
          // Without a handler tesseract.js throws a failed request from its message listener; a
          // failed start never settles createWorker, so the handler ends the race instead.
          errorHandler: (data: unknown) => failStart?.(new Error(`tesseract: ${message(data)}`)),
        }),
        startFailed,
      ]);
      // A frame carries no resolution: tesseract would guess one from the glyphs and, on small
      // text, warn on every frame before falling back to 70 dpi. 70 from the start keeps logs quiet.
      await worker.setParameters({ user_defined_dpi: '70' });
      return worker;
    } catch (error) {
      throw new GantryError(
        'MODEL_UNAVAILABLE',
        `tesseract could not load eng from ${langDir}: ${message(error)}`,
        {
          details: { model: 'tesseract-eng', dir: langDir },
          cause: error,
        },
      );
    } finally {
      failStart = undefined;
    }
  };

  return {
    async read(png) {
      worker ??= start().catch((error: unknown) => {
        worker = undefined;
        throw error;
      });
      const { data } = await (await worker).recognize(png);
      return data.text.trim();
    },
    async close() {
      const started = worker;
      worker = undefined;
      await started?.then((w) => w.terminate()).catch(() => undefined);
    },
  };
}

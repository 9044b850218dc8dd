import { Recognizer } from './recognizer.js';

interface Waiter {
  resolve: (recognizer: Recognizer) => void;
  reject: (reason: unknown) => void;
}

/**
 * A fixed number of warm recognizers shared by concurrent jobs; a job waits for a free one. A
 * recognizer that broke is terminated and replaced, so one bad page never poisons later jobs.
 */
export class RecognizerPool {
  readonly #idle: Recognizer[];
  readonly #waiters: Waiter[] = [];
  readonly #all = new Set<Recognizer>();
  readonly #warmLanguages: readonly string[];
  readonly #langDir: string;
  #failure: unknown = null;
  #closed = false;

  private constructor(recognizers: Recognizer[], warmLanguages: readonly string[], langDir: string) {
    this.#idle = [...recognizers];
    recognizers.forEach((recognizer) => this.#all.add(recognizer));
    this.#warmLanguages = warmLanguages;
    this.#langDir = langDir;
  }

  /** Starts `size` recognizers one after another (each start is CPU-bound; in parallel they only fight). */
  static async start(
    size: number,
    warmLanguages: readonly string[],
    langDir: string,
  ): Promise<RecognizerPool> {
    const recognizers: Recognizer[] = [];
    try {
      for (let i = 0; i < size; i++) recognizers.push(await Recognizer.start(warmLanguages, langDir));
    } catch (error) {
      await Promise.all(recognizers.map((recognizer) => recognizer.terminate()));
      throw error;
    }
    return new RecognizerPool(recognizers, warmLanguages, langDir);
  }

  get size(): number {
    return this.#all.size;
  }

  async use<T>(work: (recognizer: Recognizer) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const recognizer = await this.#acquire(signal);
    try {
      return await work(recognizer);
    } finally {
      this.#release(recognizer);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const closed = new Error('the OCR engine is closed');
    this.#waiters.splice(0).forEach((waiter) => waiter.reject(closed));
    await Promise.all([...this.#all].map((recognizer) => recognizer.terminate()));
    this.#all.clear();
    this.#idle.length = 0;
  }

  #acquire(signal?: AbortSignal): Promise<Recognizer> {
    if (this.#closed) return Promise.reject(new Error('the OCR engine is closed'));
    if (this.#all.size === 0 && this.#failure !== null) return Promise.reject(this.#failure);
    signal?.throwIfAborted();
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    return new Promise<Recognizer>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve: (recognizer) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(recognizer);
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #release(recognizer: Recognizer): void {
    if (this.#closed) return;
    if (!recognizer.broken) {
      this.#handOver(recognizer);
      return;
    }
    this.#all.delete(recognizer);
    void recognizer.terminate().catch(() => undefined);
    Recognizer.start(this.#warmLanguages, this.#langDir).then(
      (replacement) => {
        if (this.#closed) {
          void replacement.terminate();
          return;
        }
        this.#all.add(replacement);
        this.#handOver(replacement);
      },
      (error: unknown) => {
        // The model loaded before and now does not. The pool shrinks; once empty, jobs fail fast
        // (MODEL_UNAVAILABLE) instead of waiting forever.
        this.#failure = error;
        if (this.#all.size === 0) this.#waiters.splice(0).forEach((waiter) => waiter.reject(error));
      },
    );
  }

  #handOver(recognizer: Recognizer): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(recognizer);
    else this.#idle.push(recognizer);
  }
}

import type { PageRecognizer, StartRecognizer } from './page-recognizer.js';

interface Waiter {
  resolve: (recognizer: PageRecognizer) => void;
  reject: (reason: unknown) => void;
}

/**
 * Up to `limit` recognizer processes shared by concurrent jobs and pages: one starts warm, the others on
 * demand (when work waits and the limit allows), then stay. Work waits for a free one. A
 * recognizer that broke is terminated and replaced, so one bad page never poisons later jobs.
 */
export class RecognizerPool {
  readonly #idle: PageRecognizer[];
  readonly #waiters: Waiter[] = [];
  readonly #all = new Set<PageRecognizer>();
  readonly #startRecognizer: StartRecognizer;
  readonly #limit: number;
  #starting = 0;
  #failure: unknown = null;
  #closed = false;

  private constructor(first: PageRecognizer, limit: number, startRecognizer: StartRecognizer) {
    this.#idle = [first];
    this.#all.add(first);
    this.#limit = limit;
    this.#startRecognizer = startRecognizer;
  }

  /** Starts the first recognizer (a start is CPU-bound: the rest start only when work waits for them). */
  static async start(limit: number, startRecognizer: StartRecognizer): Promise<RecognizerPool> {
    return new RecognizerPool(await startRecognizer(), limit, startRecognizer);
  }

  /** Recognizers running now. */
  get size(): number {
    return this.#all.size;
  }

  /** The most recognizers this pool runs: how many pages of a document are worth running at once. */
  get limit(): number {
    return this.#limit;
  }

  async use<T>(work: (recognizer: PageRecognizer) => Promise<T>, signal?: AbortSignal): Promise<T> {
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

  #acquire(signal?: AbortSignal): Promise<PageRecognizer> {
    if (this.#closed) return Promise.reject(new Error('the OCR engine is closed'));
    if (this.#all.size === 0 && this.#failure !== null) return Promise.reject(this.#failure);
    signal?.throwIfAborted();
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    return new Promise<PageRecognizer>((resolve, reject) => {
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
      this.#grow();
    });
  }

  /** Starts one more recognizer for waiting work, within the limit. */
  #grow(): void {
    if (this.#all.size + this.#starting < this.#limit && this.#failure === null) this.#startOne();
  }

  #release(recognizer: PageRecognizer): void {
    if (this.#closed) return;
    if (!recognizer.broken) {
      this.#handOver(recognizer);
      return;
    }
    this.#all.delete(recognizer);
    void recognizer.terminate().catch(() => undefined);
    this.#startOne();
  }

  #startOne(): void {
    this.#starting++;
    this.#startRecognizer().then(
      (recognizer) => {
        this.#starting--;
        if (this.#closed) {
          void recognizer.terminate();
          return;
        }
        this.#all.add(recognizer);
        this.#handOver(recognizer);
      },
      (error: unknown) => {
        this.#starting--;
        // The model loaded before and now does not. The pool shrinks; once empty, jobs fail fast
        // (MODEL_UNAVAILABLE) instead of waiting forever.
        this.#failure = error;
        if (this.#all.size === 0 && this.#starting === 0) {
          this.#waiters.splice(0).forEach((waiter) => waiter.reject(error));
        }
      },
    );
  }

  #handOver(recognizer: PageRecognizer): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(recognizer);
    else this.#idle.push(recognizer);
  }
}

export interface MicroBatcherOptions<I, O> {
  /** Largest batch one run gets. */
  maxBatchSize: number;
  /** How long the first item of a batch waits for others; 0 batches only what is already waiting. */
  maxWaitMs: number;
  /** Runs a batch; resolves to one output per item, in order. */
  run(items: I[]): Promise<O[]>;
  /** Told each batch's size as it starts (logs, tests). */
  onBatch?: (size: number) => void;
}

export interface MicroBatcher<I, O> {
  /** Runs `item` in the next batch; an abort before its batch starts takes it out of the batch. */
  submit(item: I, signal?: AbortSignal): Promise<O>;
}

interface Pending<I, O> {
  item: I;
  resolve(output: O): void;
  reject(error: unknown): void;
  settled: boolean;
}

/**
 * Dynamic batching in the manner of Triton's: calls that arrive together are run as one batch,
 * which goes when it is full or when its first item has waited `maxWaitMs`. One batch runs at a
 * time, so items arriving during a run form the next one. Each caller gets its own output; a run
 * that throws fails only the items of that batch.
 */
export function createMicroBatcher<I, O>(options: MicroBatcherOptions<I, O>): MicroBatcher<I, O> {
  const waiting: Pending<I, O>[] = [];
  let timer: NodeJS.Timeout | null = null;
  let running = false;

  const schedule = () => {
    if (running || waiting.length === 0) return;
    if (waiting.length >= options.maxBatchSize) {
      if (timer) clearTimeout(timer);
      timer = null;
      void flush();
    } else timer ??= setTimeout(() => void flush(), options.maxWaitMs);
  };

  async function flush(): Promise<void> {
    timer = null;
    const batch = waiting.splice(0, options.maxBatchSize).filter((pending) => !pending.settled);
    if (batch.length === 0) return schedule();
    running = true;
    options.onBatch?.(batch.length);
    try {
      const outputs = await options.run(batch.map((pending) => pending.item));
      if (outputs.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} gave ${outputs.length} outputs`);
      }
      batch.forEach((pending, index) => pending.resolve(outputs[index] as O));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      running = false;
      schedule();
    }
  }

  return {
    submit(item, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      return new Promise<O>((resolve, reject) => {
        const onAbort = () => {
          // Out of the batch if it has not started; a running batch's output for it is dropped.
          const index = waiting.indexOf(pending);
          if (index >= 0) waiting.splice(index, 1);
          pending.reject(signal?.reason);
        };
        const pending: Pending<I, O> = {
          item,
          settled: false,
          resolve: (output) => {
            if (pending.settled) return;
            pending.settled = true;
            signal?.removeEventListener('abort', onAbort);
            resolve(output);
          },
          reject: (error) => {
            if (pending.settled) return;
            pending.settled = true;
            signal?.removeEventListener('abort', onAbort);
            reject(error as Error);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(pending);
        schedule();
      });
    },
  };
}

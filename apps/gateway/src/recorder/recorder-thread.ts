import type { Worker } from 'node:worker_threads';
import type { Logger } from '@gantry/observability';
import { startModuleThread } from '@gantry/queue-runtime';
import type {
  RecorderThreadCommand,
  RecorderThreadMessage,
  RecorderThreadSettings,
} from './recorder-thread-messages.js';

export interface RecorderThread {
  /** Lets the batch in hand finish (entries it cannot settle stay pending for another recorder). */
  stop(): Promise<void>;
}

export interface RecorderThreadOptions {
  settings: RecorderThreadSettings;
  /** Where a failed or exited thread is reported. */
  logger: Pick<Logger, 'error'>;
  onBatch: (lagMs: number) => void;
  /** A thread that dies is started again after this long (default 1 s). */
  restartDelayMs?: number;
}

const entry = new URL(
  `./recorder-thread-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * Runs the Postgres recorder on a thread of its own: reading job hashes and writing batches is
 * steady CPU work that would otherwise queue behind, and in front of, HTTP requests on the
 * gateway's event loop. A thread (not a process) keeps its CPU and memory counted as the
 * gateway's, and it needs no deployment of its own.
 */
export function startRecorderThread(options: RecorderThreadOptions): RecorderThread {
  const restartDelayMs = options.restartDelayMs ?? 1_000;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let current: { worker: Worker; exited: Promise<unknown>; started: () => boolean };

  const spawn = () => {
    const worker = startModuleThread(entry, options.settings);
    let started = false;
    worker.on('message', (message: RecorderThreadMessage) => {
      if (message.kind === 'started') started = true;
      else options.onBatch(message.lagMs);
    });
    worker.on('error', (error) => options.logger.error({ err: error }, 'recorder thread failed'));
    // Not events.once(): it rejects on the 'error' that precedes the exit of a thread that threw.
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    void exited.then((code) => {
      if (stopping) return;
      // Its unsettled entries stay pending under its consumer name, which the next thread reads first.
      options.logger.error({ code, restartInMs: restartDelayMs }, 'recorder thread exited; restarting it');
      restartTimer = setTimeout(() => (current = spawn()), restartDelayMs);
    });
    return { worker, exited, started: () => started };
  };
  current = spawn();

  return {
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      // A thread that already died (its restart now cancelled) has exited: nothing to wait for.
      const { worker, exited, started } = current;
      // Still loading its modules (seconds from TypeScript sources, on a busy node): ended now, not after
      // its start. Should its start cross this stop, what it read stays pending for another recorder.
      // One that has said it started finishes the batch in hand.
      if (!started()) {
        await worker.terminate();
        await exited;
        return;
      }
      worker.postMessage({ kind: 'stop' } satisfies RecorderThreadCommand);
      // The recorder's own stop() bounds its wait; this is the backstop for a thread that hangs.
      const timer = setTimeout(() => void worker.terminate(), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

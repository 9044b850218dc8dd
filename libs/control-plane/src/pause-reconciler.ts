import type { ControlLogger } from './control-logger.js';
import { repeatedFailureLog } from './repeated-failure-log.js';

export interface PauseReconcilerOptions {
  /** Reads the persisted flag: the truth, whatever messages said. */
  readPaused(): Promise<boolean>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  logger: ControlLogger;
}

export interface PauseReconciler {
  /** Brings the worker to the persisted state; resolves once a pass that began after this call ends. */
  nudge(): Promise<void>;
  /** No handler runs after this (shutdown, or a drain that owns the worker from now on). */
  stop(): void;
}

/**
 * Keeps a worker's paused state equal to the persisted flag. Every nudge (a message, a heartbeat,
 * the start) re-reads the flag instead of trusting what triggered it, and passes never overlap,
 * so a stale read cannot undo a newer one. A handler runs only on a change, and a failed one is
 * tried again on the next nudge. Nudges that arrive during a pass fold into one more pass.
 */
export function createPauseReconciler(options: PauseReconcilerOptions): PauseReconciler {
  const { readPaused, pause, resume, logger } = options;
  // A worker takes jobs until told otherwise.
  let applied = false;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const readLog = repeatedFailureLog(logger, 'reading the paused flag', 'warn');

  async function pass(): Promise<void> {
    if (stopped) return;
    let desired: boolean;
    try {
      desired = await readPaused();
      readLog.succeeded();
    } catch (error) {
      if (!stopped) readLog.failed(error);
      return;
    }
    if (stopped || desired === applied) return;
    try {
      await (desired ? pause() : resume());
      applied = desired;
      logger.info({ paused: desired }, desired ? 'queue paused' : 'queue resumed');
    } catch (error) {
      logger.error({ err: error }, `the ${desired ? 'pause' : 'resume'} handler failed; trying again later`);
    }
  }

  async function loop(): Promise<void> {
    for (;;) {
      again = false;
      await pass();
      // Checked and cleared in one step, so a nudge either sees `running` and gets another pass
      // from this loop, or sees null and starts a loop of its own.
      if (!again || stopped) {
        running = null;
        return;
      }
    }
  }

  return {
    nudge() {
      if (running) {
        again = true;
        return running;
      }
      running = loop();
      return running;
    },
    stop() {
      stopped = true;
    },
  };
}

import { describe, expect, it } from 'vitest';
import { silentLogger } from './control-logger.js';
import { createPauseReconciler } from './pause-reconciler.js';

// Unit test of the reconciliation logic alone: the persisted flag is a plain variable here and
// the handlers record their calls. The Redis side is covered by the integration tests.
function setup(options: { failPause?: number } = {}) {
  const calls: string[] = [];
  const state = { paused: false, reads: 0, failPause: options.failPause ?? 0 };
  // While a gate is set, reads take the flag at once but answer only when the gate opens.
  let gate: Promise<void> | null = null;
  let openGate = (): void => undefined;
  const reconciler = createPauseReconciler({
    readPaused: async () => {
      state.reads += 1;
      const value = state.paused;
      if (gate) await gate;
      return value;
    },
    pause: async () => {
      if (state.failPause > 0) {
        state.failPause -= 1;
        throw new Error('pause failed');
      }
      calls.push('pause');
    },
    resume: async () => {
      calls.push('resume');
    },
    logger: silentLogger,
  });
  const holdReads = () => {
    gate = new Promise<void>((resolve) => {
      openGate = () => {
        gate = null;
        resolve();
      };
    });
  };
  return { calls, state, reconciler, holdReads, release: () => openGate() };
}

describe('createPauseReconciler', () => {
  it('runs a handler only when the persisted flag differs from what was applied', async () => {
    const { calls, state, reconciler } = setup();
    await reconciler.nudge();
    state.paused = true;
    await reconciler.nudge();
    await reconciler.nudge();
    state.paused = false;
    await reconciler.nudge();
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('tries a failed handler again on the next nudge', async () => {
    const { calls, state, reconciler } = setup({ failPause: 1 });
    state.paused = true;
    await reconciler.nudge();
    expect(calls).toEqual([]);
    await reconciler.nudge();
    expect(calls).toEqual(['pause']);
  });

  it('folds nudges made during a pass into one more pass that reads the newer flag', async () => {
    const { calls, state, reconciler, holdReads, release } = setup();
    holdReads();
    const first = reconciler.nudge();
    await Promise.resolve();
    // The first pass read "not paused" and is still waiting; the flag changes meanwhile.
    state.paused = true;
    const second = reconciler.nudge();
    const third = reconciler.nudge();
    release();
    await Promise.all([first, second, third]);
    expect(calls).toEqual(['pause']);
    expect(state.reads).toBe(2);
  });

  it('runs no handler after stop()', async () => {
    const { calls, state, reconciler } = setup();
    reconciler.stop();
    state.paused = true;
    await reconciler.nudge();
    expect(calls).toEqual([]);
  });
});

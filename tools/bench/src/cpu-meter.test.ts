import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CpuMeter, descendants } from './cpu-meter.js';

// Real processes read through the real /proc: a child that spins, and one that sleeps.
const spinner = (ms: number) =>
  spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end);`]);

describe('CpuMeter', () => {
  it('counts the CPU of a process found below another, and none for an empty group', async () => {
    const sleeper = spawn('sleep', ['5']);
    await once(sleeper, 'spawn');
    try {
      expect(await descendants(process.pid)).toContain(sleeper.pid);
      const meter = await CpuMeter.start({
        spinning: () => descendants(process.pid),
        nothing: () => Promise.resolve([]),
      });
      const spin = spinner(3_000);
      await new Promise((resolve) => setTimeout(resolve, 800));
      const used = await meter.stop();
      spin.kill();
      // It spun for 800 ms of wall time; on a busy machine it gets less of a core, never more.
      expect(used['spinning']).toBeGreaterThan(100);
      expect(used['spinning']).toBeLessThan(1_000);
      expect(used['nothing']).toBeNull();
    } finally {
      sleeper.kill();
    }
  });
});

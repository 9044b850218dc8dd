import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { machineCoresBusy } from './machine-cpu.js';

// The real /proc/stat: this process spins on one core while it measures.
describe('machineCoresBusy', () => {
  it('counts a core kept busy, and never more cores than the machine has', async () => {
    const busy = await machineCoresBusy();
    const end = Date.now() + 500;
    while (Date.now() < end);
    const cores = await busy();
    // The spin alone keeps one core busy; other work on a shared machine only adds to it.
    expect(cores).toBeGreaterThan(0.5);
    expect(cores).toBeLessThanOrEqual(availableParallelism() + 0.01);
  });
});

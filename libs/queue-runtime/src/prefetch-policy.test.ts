import { describe, expect, it } from 'vitest';
import { PrefetchPolicy } from './prefetch-policy.js';

// Pure arithmetic: no Redis, no engine processes.
describe('PrefetchPolicy', () => {
  it('takes one job per engine until it has seen jobs run', () => {
    expect(new PrefetchPolicy(3).initial).toBe(3);
  });

  it('holds one more job per engine while jobs are short, and stops once they run long', () => {
    const policy = new PrefetchPolicy(2, 100);
    expect(policy.observe(5)).toBe(4);
    for (let i = 0; i < 20; i++) policy.observe(8);
    expect(policy.observe(8)).toBe(4);
    // One long job is enough to stop holding; it takes a run of short ones to start again.
    expect(policy.observe(2_000)).toBe(2);
    const taken = Array.from({ length: 12 }, () => policy.observe(8));
    expect(taken[0]).toBe(2);
    expect(taken.at(-1)).toBe(4);
  });

  it('never holds long jobs ahead', () => {
    const policy = new PrefetchPolicy(4, 100);
    expect(policy.observe(500)).toBe(4);
    expect(policy.observe(150)).toBe(4);
  });
});

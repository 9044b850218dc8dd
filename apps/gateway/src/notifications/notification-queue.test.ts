import { describe, expect, it } from 'vitest';
import { attemptsWithin } from './notification-queue.js';

describe('attemptsWithin', () => {
  it('retries for a day from 5 s, doubling: 15 attempts, the last after about 22.75 h', () => {
    const attempts = attemptsWithin({ baseMs: 5_000, windowSeconds: 86_400 });
    expect(attempts).toBe(15);
    const lastStartsAtMs = 5_000 * (2 ** (attempts - 1) - 1);
    expect(lastStartsAtMs).toBeLessThanOrEqual(86_400_000);
    expect(5_000 * (2 ** attempts - 1)).toBeGreaterThan(86_400_000);
  });

  it('makes one attempt when even the first retry falls outside the window', () => {
    expect(attemptsWithin({ baseMs: 10_000, windowSeconds: 5 })).toBe(1);
  });
});

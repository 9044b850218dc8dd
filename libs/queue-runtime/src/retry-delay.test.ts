import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay.js';

describe('retryDelayMs', () => {
  it('doubles with each failure, less up to half of it, the same for the same job and failure', () => {
    const job = { id: 'j1', backoff_ms: 1_000 };
    for (const failures of [1, 2, 3]) {
      const full = 1_000 * 2 ** (failures - 1);
      const delay = retryDelayMs(job, failures);
      expect(delay).toBeGreaterThan(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
      expect(retryDelayMs(job, failures)).toBe(delay);
    }
  });

  it('spreads jobs that failed together', () => {
    const delays = new Set(['a', 'b', 'c', 'd'].map((id) => retryDelayMs({ id, backoff_ms: 1_000 }, 1)));
    expect(delays.size).toBeGreaterThan(1);
  });
});

import { describe, expect, it } from 'vitest';
import { meanServiceTime, type QueueEventEntry } from './mean-service-time.js';

// Entries shaped as BullMQ writes them to `<prefix>:<queue>:events`, given oldest first here.
const entry = (ms: number, event: string, jobId: string): QueueEventEntry => [
  `${ms}-0`,
  ['event', event, 'jobId', jobId, 'prev', 'waiting'],
];
const newestFirst = (entries: QueueEventEntry[]) => [...entries].reverse();

describe('meanServiceTime', () => {
  it('pairs each finish with its start', () => {
    const mean = meanServiceTime(
      newestFirst([
        entry(1_000, 'added', 'a'),
        entry(1_000, 'active', 'a'),
        entry(1_100, 'active', 'b'),
        entry(1_300, 'completed', 'a'),
        entry(1_600, 'failed', 'b'),
      ]),
    );
    expect(mean).toEqual({ seconds: 0.4, samples: 2 });
  });

  it('skips jobs still running and finishes whose start left the window', () => {
    const mean = meanServiceTime(
      newestFirst([
        entry(900, 'completed', 'old'),
        entry(1_000, 'active', 'a'),
        entry(1_200, 'completed', 'a'),
        entry(1_300, 'active', 'running'),
      ]),
    );
    expect(mean).toEqual({ seconds: 0.2, samples: 1 });
  });

  it('pairs a retried job with its last attempt only', () => {
    const mean = meanServiceTime(
      newestFirst([
        entry(1_000, 'active', 'r'),
        entry(1_050, 'failed', 'r'),
        entry(2_000, 'active', 'r'),
        entry(2_500, 'completed', 'r'),
      ]),
    );
    expect(mean).toEqual({ seconds: 0.5, samples: 1 });
  });

  it('is null when nothing finished', () => {
    expect(meanServiceTime([])).toBeNull();
    expect(meanServiceTime(newestFirst([entry(1, 'active', 'a')]))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { replicasNeeded } from './replicas-needed.js';

const profile = { meanServiceSeconds: 2, slotsPerReplica: 4 };

describe('replicasNeeded', () => {
  it('asks for nothing when the queue is empty and idle', () => {
    expect(replicasNeeded({ waiting: 0, delayed: 0, active: 0 }, profile, 10)).toBe(0);
  });

  it('drains the backlog within the target wait: backlog × service time ÷ target ÷ slots', () => {
    // 100 jobs × 2 s ÷ 10 s = 20 slots = 5 replicas of 4 slots.
    expect(replicasNeeded({ waiting: 100, delayed: 0, active: 0 }, profile, 10)).toBe(5);
    // Halving the target doubles the drain slots.
    expect(replicasNeeded({ waiting: 100, delayed: 0, active: 0 }, profile, 5)).toBe(10);
  });

  it('keeps the slots of running jobs and counts delayed jobs as backlog', () => {
    // 8 running + (20 + 20) × 2 ÷ 10 = 16 slots = 4 replicas.
    expect(replicasNeeded({ waiting: 20, delayed: 20, active: 8 }, profile, 10)).toBe(4);
    expect(replicasNeeded({ waiting: 0, delayed: 0, active: 5 }, profile, 10)).toBe(2);
  });

  it('never asks for more slots than there are jobs, however slow they are', () => {
    // 60 s jobs, 10 s target: 12 jobs need 12 slots (all start at once), not 72.
    expect(
      replicasNeeded({ waiting: 12, delayed: 0, active: 0 }, { ...profile, meanServiceSeconds: 60 }, 10),
    ).toBe(3);
  });

  it('wakes a queue scaled to zero for a single job', () => {
    expect(
      replicasNeeded(
        { waiting: 1, delayed: 0, active: 0 },
        { meanServiceSeconds: 0.01, slotsPerReplica: 8 },
        10,
      ),
    ).toBe(1);
    expect(replicasNeeded({ waiting: 0, delayed: 1, active: 0 }, profile, 10)).toBe(1);
  });

  it('treats a profile of no slots as one slot', () => {
    expect(
      replicasNeeded(
        { waiting: 10, delayed: 0, active: 0 },
        { meanServiceSeconds: 1, slotsPerReplica: 0 },
        1,
      ),
    ).toBe(10);
  });
});

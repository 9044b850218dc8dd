import { createLogger } from '@gantry/observability';
import { afterAll, describe, expect, it } from 'vitest';
import { startDeadlineSweeper } from './deadline-sweeper.js';
import { jobHarness } from './testing/job-harness.js';
import { Sleep } from './testing/runtime-test-worker.js';

// Real Redis and BullMQ, and no worker at all: only the sweeper can end these jobs.
const prefix = `t-deadlines-${process.pid}-${Date.now()}`;
const { producer, waitFor, close } = jobHarness(prefix);
const logger = createLogger('deadline-sweeper-test', 'warn');
const submit = (expiresInSeconds?: number) =>
  producer.submit({
    tenant: 'acme',
    type: Sleep.type,
    queue: Sleep.queue,
    defaults: Sleep.defaults,
    input: { ms: 1 },
    ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
  });

afterAll(close);

describe('startDeadlineSweeper', () => {
  it('ends a queued job expired at its deadline and removes its BullMQ job; later deadlines wait', async () => {
    const sweepers = [0, 1].map(() => startDeadlineSweeper({ producer, logger, intervalMs: 200 }));
    try {
      const { record: soon } = await submit(1);
      const { record: later } = await submit(600);
      const { record: never } = await submit();
      const bull = producer.queue(Sleep.queue);
      expect(await bull.getJob(soon.id)).toBeDefined();
      const startedAt = Date.now();
      const ended = await waitFor(soon.id, (r) => r.status === 'expired', 5_000);
      // Swept within a period or two of the deadline, not before it.
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(800);
      expect(ended).toMatchObject({ started_at: null, error: { code: 'JOB_EXPIRED' } });
      // The sweep removes the BullMQ job and drops the deadline just after the job state ends.
      await expect.poll(() => bull.getJob(soon.id), { timeout: 2_000 }).toBeUndefined();
      expect((await producer.store.get(later.id))?.status).toBe('queued');
      expect((await producer.store.get(never.id))?.status).toBe('queued');
      // The swept deadline is dropped; the later one stays for its sweep.
      const left = async () =>
        (await producer.store.dueDeadlines(Number.MAX_SAFE_INTEGER, 10)).map((deadline) => deadline.id);
      await expect.poll(left, { timeout: 2_000 }).toEqual([later.id]);
    } finally {
      await Promise.all(sweepers.map((sweeper) => sweeper.stop()));
    }
  });
});

import { startControlAgent } from '@gantry/control-plane';
import { createControlClient, type ControlClient } from '@gantry/control-plane';
import { createLogger, createMetricsRegistry } from '@gantry/observability';
import { JobProducer, runWorker, type RunningWorker } from '@gantry/queue-runtime';
import { queue as testQueue, Sleep, testWorkerOptions } from '@gantry/queue-runtime/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerRecordsBacklogGauge } from '../recorder/records-backlog-gauge.js';
import { registerQueueGauges } from './queue-gauges.js';
import { QueueSignals, type QueueSignalsOptions } from './queue-signals.js';

// Real Redis, real BullMQ queues, a real worker (engine processes) announcing itself; own key prefix.
const prefix = `t-scale-${process.pid}-${Date.now()}`;
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl);
const logger = createLogger('scaling-test', 'warn');
const producer = new JobProducer(redis, prefix, { retentionSeconds: 60 });
let control: ControlClient;
let worker: RunningWorker | undefined;

const submit = (queue: string, priority?: number) =>
  producer.submit({
    tenant: 'acme',
    type: Sleep.type,
    queue,
    defaults: Sleep.defaults,
    input: { ms: 150 },
    ...(priority === undefined ? {} : { priority }),
  });

/** Signals read from this file's Redis, producer and control client. */
const queueSignals = (options: Omit<QueueSignalsOptions, 'redis' | 'producer' | 'control' | 'logger'>) =>
  new QueueSignals({ redis, producer, control, logger, ...options });

beforeAll(async () => {
  control = await createControlClient({ redisUrl, prefix, logger });
});

afterAll(async () => {
  await worker?.close();
  await producer.close();
  await control.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('queue signals on the real Redis', () => {
  it('counts prioritized jobs as waiting, where the BullMQ wait list shows none, and counts delayed jobs', async () => {
    for (let i = 0; i < 7; i += 1) await submit('ocr', i % 3 === 0 ? 1 : undefined);
    await producer.queue('ocr').add('test.sleep', { id: 'later' } as never, { delay: 60_000, priority: 5 });
    // What KEDA's Redis list scaler would read: nothing, since every Gantry job carries a priority.
    expect(await redis.llen(`${prefix}:bull:ocr:wait`)).toBe(0);

    const signals = queueSignals({ maxAgeMs: 0, targetWaitSeconds: 10 });
    const ocr = (await signals.read()).find((signal) => signal.queue === 'ocr');
    expect(ocr?.jobs).toEqual({ waiting: 7, delayed: 1, active: 0, paused: 0 });
    // No worker announced and no job finished yet: one slot per replica, one second per job.
    expect(ocr).toMatchObject({
      readyWorkers: 0,
      slotsPerReplica: 1,
      meanServiceSeconds: 1,
      replicasNeeded: 1,
    });
    // Every shipped queue has its series, even empty, so an alert on a queue never lacks one.
    expect((await signals.read()).map((signal) => signal.queue)).toEqual(
      expect.arrayContaining(['llm', 'ocr', 'predictive', 'vision']),
    );

    const registry = createMetricsRegistry('gateway');
    registerQueueGauges(registry, signals);
    const text = await registry.metrics();
    expect(text).toContain('gantry_queue_jobs{queue="ocr",state="waiting",service="gateway"} 7');
    expect(text).toContain('gantry_queue_jobs{queue="ocr",state="delayed",service="gateway"} 1');
    expect(text).toContain('gantry_queue_replicas_needed{queue="ocr",service="gateway"} 1');

    // No recorder runs here: every job's creation is still in the records stream, waiting for PostgreSQL.
    registerRecordsBacklogGauge(registry, redis, prefix);
    expect(await registry.metrics()).toMatch(
      /gantry_recorder_backlog_entries\{service="gateway"\} [1-9]\d*\n/,
    );
  });

  it('learns slots from the announcements and the service time from the jobs that finished', async () => {
    worker = await runWorker(
      testWorkerOptions(prefix, {
        startControl: startControlAgent,
        redisUrl,
        concurrency: 2,
        heartbeatMs: 300,
      }),
    );
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await submit(testQueue)).record.id);
    // Every job, not only the last submitted (two run at a time, so the last may end first), and out of
    // BullMQ's active list too, which a job leaves just after its state says succeeded: until then it
    // still needs its replica.
    const deadline = Date.now() + 20_000;
    const allSucceeded = async () =>
      (await Promise.all(ids.map((id) => producer.store.get(id)))).every(
        (job) => job?.status === 'succeeded',
      );
    const noneActive = async () =>
      (await queueSignals({ maxAgeMs: 0 }).read()).find((each) => each.queue === testQueue)?.jobs.active ===
      0;
    const settled = async () => (await allSucceeded()) && (await noneActive());
    while (!(await settled())) {
      if (Date.now() > deadline) throw new Error('the test jobs did not finish');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const signals = queueSignals({ maxAgeMs: 0, serviceTimeMaxAgeMs: 0 });
    const signal = (await signals.read()).find((each) => each.queue === testQueue);
    expect(signal).toMatchObject({ readyWorkers: 1, slotsPerReplica: 2, replicasNeeded: 0 });
    // 150 ms of sleep in an engine process, plus the round trips; generous above for a busy machine.
    expect(signal?.meanServiceSeconds).toBeGreaterThanOrEqual(0.14);
    expect(signal?.meanServiceSeconds).toBeLessThan(3);

    // Many scrapes within the cache age cost one read.
    const cached = queueSignals({ maxAgeMs: 60_000 });
    const [first, second] = await Promise.all([cached.read(), cached.read()]);
    expect(second).toBe(first);
  });

  it("shows a paused queue's jobs as paused and asks only for its running jobs", async () => {
    await control.pauseQueue('ocr');
    const signals = queueSignals({ maxAgeMs: 0 });
    const ocr = (await signals.read()).find((signal) => signal.queue === 'ocr');
    expect(ocr?.jobs).toEqual({ waiting: 0, delayed: 1, active: 0, paused: 7 });
    expect(ocr?.replicasNeeded).toBe(0);
    await control.resumeQueue('ocr');
  });
});

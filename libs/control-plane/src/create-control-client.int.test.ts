import { GantryError } from '@gantry/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ControlClient, createControlClient } from './create-control-client.js';
import { type ControlAgent, startControlAgent } from './start-control-agent.js';
import { recordingHandlers } from './testing/recording-handlers.js';
import { testAnnouncement } from './testing/test-announcement.js';
import { testRedis } from './testing/test-redis.js';

// Real Redis, real NestJS transport. Heartbeats are slow here on purpose (30 s), so every command
// these tests see can only have come over the NestJS events, not from a heartbeat re-reading Redis.
const redis = testRedis('control-client');
const slowHeartbeat = { heartbeatMs: 30_000, ttlMs: 90_000 };
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 3_000, interval: 20 });

describe('createControlClient', () => {
  let client: ControlClient;
  const agents: ControlAgent[] = [];
  const handlers = { ocr1: recordingHandlers(), ocr2: recordingHandlers(), llm1: recordingHandlers() };

  async function startAgent(id: string, queue: string, recorder = recordingHandlers()) {
    const agent = await startControlAgent({
      redisUrl: redis.redisUrl,
      prefix: redis.prefix,
      announce: () => testAnnouncement(id, queue),
      handlers: recorder,
      ...slowHeartbeat,
    });
    agents.push(agent);
    return agent;
  }

  beforeAll(async () => {
    client = await createControlClient({ redisUrl: redis.redisUrl, prefix: redis.prefix });
    await startAgent('ocr-1', 'ocr', handlers.ocr1);
    await startAgent('ocr-2', 'ocr', handlers.ocr2);
    await startAgent('llm-1', 'llm', handlers.llm1);
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await client?.close();
    await redis.cleanup();
  });

  it('lists the live workers, by queue then id, and filters them by queue', async () => {
    const all = await client.listWorkers();
    expect(all.map((worker) => [worker.queue, worker.id])).toEqual([
      ['llm', 'llm-1'],
      ['ocr', 'ocr-1'],
      ['ocr', 'ocr-2'],
    ]);
    const ocr = await client.listWorkers({ queue: 'ocr' });
    expect(ocr.map((worker) => worker.id)).toEqual(['ocr-1', 'ocr-2']);
    expect(await client.listWorkers({ queue: 'vision' })).toEqual([]);
  });

  it('gets one worker as it announced itself, or null', async () => {
    const worker = await client.getWorker('llm-1');
    expect(worker).toMatchObject({ id: 'llm-1', queue: 'llm', app: 'llm-worker', state: 'ready' });
    expect(Date.now() - Date.parse(worker?.heartbeat_at ?? '')).toBeLessThan(60_000);
    expect(await client.getWorker('nobody')).toBeNull();
  });

  it('pauses only the workers of the paused queue, and resumes them', async () => {
    await client.pauseQueue('ocr');
    expect(await client.isQueuePaused('ocr')).toBe(true);
    expect(await client.isQueuePaused('llm')).toBe(false);
    await waitFor(() => {
      expect(handlers.ocr1.calls).toEqual(['pause']);
      expect(handlers.ocr2.calls).toEqual(['pause']);
    });

    await client.resumeQueue('ocr');
    expect(await client.isQueuePaused('ocr')).toBe(false);
    await waitFor(() => {
      expect(handlers.ocr1.calls).toEqual(['pause', 'resume']);
      expect(handlers.ocr2.calls).toEqual(['pause', 'resume']);
    });
    // The llm worker got the same broadcasts at the same time as the others
    await sleep(100);
    expect(handlers.llm1.calls).toEqual([]);
  });

  it('starts a worker paused when its queue was paused before it started', async () => {
    await client.pauseQueue('vision');
    const vision = recordingHandlers();
    const agent = await startAgent('vision-1', 'vision', vision);
    expect(vision.calls).toEqual(['pause']);

    await client.resumeQueue('vision');
    await waitFor(() => expect(vision.calls).toEqual(['pause', 'resume']));
    await agent.stop();
  });

  it('drains one worker and no other', async () => {
    await client.drainWorker('ocr-2');
    await waitFor(() => expect(handlers.ocr2.calls).toContain('drain'));
    await sleep(100);
    expect(handlers.ocr1.calls).not.toContain('drain');
    expect(handlers.llm1.calls).not.toContain('drain');
  });

  it("tells the workers of the job's queue to cancel it, and no other", async () => {
    await client.cancelJob('job-1', 'llm');
    await waitFor(() => expect(handlers.llm1.calls).toContain('cancel job-1'));
    await sleep(100);
    expect(handlers.ocr1.calls).not.toContain('cancel job-1');
  });

  it('refuses to drain a worker that is not alive', async () => {
    const attempt = client.drainWorker('nobody');
    await expect(attempt).rejects.toBeInstanceOf(GantryError);
    await expect(attempt).rejects.toMatchObject({
      code: 'WORKER_NOT_FOUND',
      details: { worker_id: 'nobody' },
    });
  });

  it('removes a stopped worker from the list at once', async () => {
    const agent = await startAgent('ocr-3', 'ocr');
    expect(await client.getWorker('ocr-3')).not.toBeNull();
    await agent.stop();
    expect(await client.getWorker('ocr-3')).toBeNull();
    expect((await client.listWorkers()).map((worker) => worker.id)).not.toContain('ocr-3');
    await expect(client.drainWorker('ocr-3')).rejects.toMatchObject({ code: 'WORKER_NOT_FOUND' });
  });
});

import { GantryError } from '@gantry/contracts';
import { controlPlaneKeys } from '@gantry/job-state';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ControlClient, createControlClient } from './create-control-client.js';
import { startControlAgent } from './start-control-agent.js';
import { recordingHandlers } from './testing/recording-handlers.js';
import { recordingLogger } from './testing/recording-logger.js';
import { testAnnouncement } from './testing/test-announcement.js';
import { testRedis } from './testing/test-redis.js';

// Real Redis, real NestJS transport, and for the SIGKILL case a real second process.
// Short timings: a heartbeat every 200 ms, expiring 600 ms after the last one.
const redis = testRedis('control-agent');
const keys = controlPlaneKeys(redis.prefix);
const fast = { heartbeatMs: 200, ttlMs: 600 };
const waitFor = (check: () => unknown, timeout = 3_000) => vi.waitFor(check, { timeout, interval: 20 });

function startAgent(
  id: string,
  queue: string,
  handlers = recordingHandlers(),
  logger = recordingLogger().logger,
) {
  return startControlAgent({
    redisUrl: redis.redisUrl,
    prefix: redis.prefix,
    announce: () => testAnnouncement(id, queue),
    handlers,
    logger,
    ...fast,
  });
}

// Sockets and timers alive in this process; `waitFor` is not used around it since it holds timers.
function openHandles() {
  const resources = process.getActiveResourcesInfo();
  return {
    sockets: resources.filter((name) => name === 'TCPSocketWrap').length,
    timers: resources.filter((name) => name === 'Timeout').length,
  };
}

// Waits for closing sockets to go, then checks nothing is left beyond what was open before.
// After a refused connection ioredis keeps a guard timer for its disconnectTimeout (2 s), then
// lets go: bounded, so waited for here rather than counted as a leak.
async function expectNoHandlesBeyond(before: ReturnType<typeof openHandles>, withinMs = 3_000) {
  const deadline = Date.now() + withinMs;
  let handles = openHandles();
  while (Date.now() < deadline && (handles.sockets > before.sockets || handles.timers > before.timers)) {
    await sleep(20);
    handles = openHandles();
  }
  expect(handles.sockets).toBeLessThanOrEqual(before.sockets);
  expect(handles.timers).toBeLessThanOrEqual(before.timers);
}

// Connections in CLIENT LIST with one of the given names, as key=value fields.
async function connections(names: string[]): Promise<Record<string, string>[]> {
  const admin = redis.open();
  try {
    const list = String(await admin.client('LIST'));
    return list
      .split('\n')
      .map(
        (line) =>
          Object.fromEntries(line.split(' ').map((field) => field.split('=', 2))) as Record<string, string>,
      )
      .filter((fields) => names.includes(fields['name'] ?? ''));
  } finally {
    await admin.quit();
  }
}

describe('startControlAgent', () => {
  let client: ControlClient;
  let raw: ReturnType<typeof redis.open>;

  beforeAll(async () => {
    client = await createControlClient({ redisUrl: redis.redisUrl, prefix: redis.prefix });
    raw = redis.open();
  });

  afterAll(async () => {
    await client?.close();
    await raw?.quit();
    await redis.cleanup();
  });

  it('keeps a heartbeating worker listed past its ttl, with a fresh heartbeat time', async () => {
    const { logger, lines } = recordingLogger();
    const agent = await startAgent('beating-1', 'ocr', recordingHandlers(), logger);
    const first = await client.getWorker('beating-1');
    await sleep(900);
    const later = await client.getWorker('beating-1');
    expect(later).not.toBeNull();
    expect(Date.parse(later?.heartbeat_at ?? '')).toBeGreaterThan(Date.parse(first?.heartbeat_at ?? ''));
    await agent.stop();
    // What NestJS says comes to our logger (its own console logger stays silent)
    expect(lines).toContainEqual([
      'debug',
      { worker_id: 'beating-1', queue: 'ocr', component: 'control-server' },
      'Connected to Redis. Subscribing to channels...',
    ]);
    expect(lines.filter(([level]) => level === 'error' || level === 'warn')).toEqual([]);
  });

  it('drops a killed worker (SIGKILL, no stop()) from the list within its ttl', async () => {
    const script = fileURLToPath(new URL('./testing/agent-process.ts', import.meta.url));
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '--conditions=@gantry/source',
        '--import',
        'tsx',
        script,
        redis.redisUrl,
        redis.prefix,
        'killed-1',
        'ocr',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const ready = await Promise.race([
        once(child.stdout ?? child, 'data').then(([line]) => String(line)),
        once(child, 'exit').then(([code]) => `exited with ${String(code)}`),
      ]);
      expect(ready).toContain('ready');
      expect(await client.getWorker('killed-1')).not.toBeNull();
      // Still there after more than a ttl: the child's heartbeats keep it alive
      await sleep(fast.ttlMs + 200);
      expect(await client.getWorker('killed-1')).not.toBeNull();

      child.kill('SIGKILL');
      const killedAt = Date.now();
      await once(child, 'exit');
      await waitFor(async () => expect(await client.getWorker('killed-1')).toBeNull());
      // The last heartbeat came before the kill, so the entry outlives the worker by less than a ttl
      // (plus slack for polling on a busy machine)
      expect(Date.now() - killedAt).toBeLessThan(fast.ttlMs + 500);
      expect((await client.listWorkers()).map((worker) => worker.id)).not.toContain('killed-1');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('follows the persisted pause flag within a heartbeat when no event arrives', async () => {
    const handlers = recordingHandlers();
    const agent = await startAgent('converge-1', 'predictive', handlers);
    // Written behind the control client's back: no event is sent, only the flag changes
    await raw.set(keys.paused('predictive'), new Date().toISOString());
    await waitFor(() => expect(handlers.calls).toEqual(['pause']), 1_000);
    await raw.del(keys.paused('predictive'));
    await waitFor(() => expect(handlers.calls).toEqual(['pause', 'resume']), 1_000);
    await agent.stop();
  });

  it('drains on a persisted drain request within a heartbeat when no event arrives', async () => {
    const handlers = recordingHandlers();
    const agent = await startAgent('converge-2', 'predictive', handlers);
    await raw.set(keys.drain('converge-2'), new Date().toISOString(), 'PX', 60_000);
    await waitFor(() => expect(handlers.calls).toEqual(['drain']), 1_000);
    // A draining worker no longer follows pause/resume
    await client.pauseQueue('predictive');
    await sleep(2 * fast.heartbeatMs);
    expect(handlers.calls).toEqual(['drain']);
    await agent.stop();
    await client.resumeQueue('predictive');
  });

  it('gets its connections back after Redis drops them', async () => {
    // A 30 s heartbeat: the pause below can only arrive over the re-subscribed NestJS transport
    const handlers = recordingHandlers();
    const agent = await startControlAgent({
      redisUrl: redis.redisUrl,
      prefix: redis.prefix,
      announce: () => testAnnouncement('dropped-1', 'vision'),
      handlers,
      heartbeatMs: 30_000,
      ttlMs: 90_000,
    });
    const names = [keys.connectionName('agent'), keys.connectionName('agent-events')];
    const dropped = await connections(names);
    expect(dropped).toHaveLength(3); // the registry's, and the NestJS server's pub and sub
    for (const connection of dropped) await raw.client('KILL', 'ID', connection['id'] ?? '');

    await waitFor(async () => {
      const back = await connections(names);
      expect(back.map((connection) => connection['id'])).not.toContain(dropped[0]?.['id']);
      // the same three connections, with the NestJS server subscribed to its channels again
      const subscriptions = (list: Record<string, string>[]) =>
        list.map((connection) => connection['sub']).sort();
      expect(subscriptions(back)).toEqual(subscriptions(dropped));
    }, 5_000);
    await client.pauseQueue('vision');
    await waitFor(() => expect(handlers.calls).toEqual(['pause']));
    await agent.stop();
    await client.resumeQueue('vision');
  });

  it('closes every connection and timer it opened', async () => {
    const before = openHandles();
    const ownClient = await createControlClient({ redisUrl: redis.redisUrl, prefix: redis.prefix });
    const agent = await startAgent('clean-1', 'ocr');
    await ownClient.pauseQueue('clean-queue');
    expect(openHandles().sockets).toBeGreaterThan(before.sockets);

    await agent.stop();
    await ownClient.close();
    await expectNoHandlesBeyond(before);
    await agent.stop(); // a second stop is a no-op
    await raw.del(keys.paused('clean-queue'));
  });

  it('reports an unreachable Redis as QUEUE_UNAVAILABLE and leaves nothing open', async () => {
    const before = openHandles();
    const unreachable = 'redis://127.0.0.1:1';
    await expect(createControlClient({ redisUrl: unreachable, prefix: redis.prefix })).rejects.toMatchObject({
      code: 'QUEUE_UNAVAILABLE',
    });
    await expect(
      startControlAgent({
        redisUrl: unreachable,
        prefix: redis.prefix,
        announce: () => testAnnouncement('nowhere-1', 'ocr'),
        handlers: recordingHandlers(),
      }),
    ).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    await expectNoHandlesBeyond(before);
  });

  it('refuses an invalid announcement before connecting', async () => {
    const attempt = startControlAgent({
      redisUrl: redis.redisUrl,
      prefix: redis.prefix,
      announce: () => ({ ...testAnnouncement('bad-1', 'ocr'), concurrency: 0 }),
      handlers: recordingHandlers(),
    });
    await expect(attempt).rejects.toBeInstanceOf(GantryError);
    await expect(attempt).rejects.toThrow(/invalid WorkerAnnouncement/);
    expect(await client.getWorker('bad-1')).toBeNull();
  });
});

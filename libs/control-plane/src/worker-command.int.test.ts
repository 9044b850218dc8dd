import { GantryError } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlClient, createControlClient } from './create-control-client.js';
import { type ControlAgent, startControlAgent } from './start-control-agent.js';
import { recordingHandlers } from './testing/recording-handlers.js';
import { testAnnouncement } from './testing/test-announcement.js';
import { testRedis } from './testing/test-redis.js';

// Real Redis, real NestJS request/response transport, three agents: two answer commands, one has none.
const redis = testRedis('worker-command');

describe('ControlClient.commandWorker', () => {
  let client: ControlClient;
  const agents: ControlAgent[] = [];
  const seen: { worker: string; payload: unknown }[] = [];

  const startAgent = async (id: string, answers: boolean) => {
    const command = async (payload: unknown) => {
      seen.push({ worker: id, payload });
      if ((payload as { fail?: boolean }).fail) {
        throw new GantryError('MODEL_VERSION_NOT_FOUND', 'model fraud has no version 9', {
          details: { name: 'fraud', version: '9' },
        });
      }
      return { answered_by: id };
    };
    agents.push(
      await startControlAgent({
        redisUrl: redis.redisUrl,
        prefix: redis.prefix,
        announce: () => testAnnouncement(id, 'predictive'),
        handlers: answers ? { ...recordingHandlers(), command } : recordingHandlers(),
        heartbeatMs: 30_000,
        ttlMs: 90_000,
      }),
    );
  };

  beforeAll(async () => {
    client = await createControlClient({ redisUrl: redis.redisUrl, prefix: redis.prefix });
    await startAgent('predictive-1', true);
    await startAgent('predictive-2', true);
    await startAgent('predictive-3', false);
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await client?.close();
    await redis.cleanup();
  });

  it('reaches only the worker addressed and returns its answer', async () => {
    expect(await client.commandWorker('predictive-2', { action: 'list' })).toEqual({
      answered_by: 'predictive-2',
    });
    expect(seen).toEqual([{ worker: 'predictive-2', payload: { action: 'list' } }]);
  });

  it("rethrows the worker's typed error with its code and details", async () => {
    const error = await client.commandWorker('predictive-1', { fail: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GantryError);
    expect(error).toMatchObject({
      code: 'MODEL_VERSION_NOT_FOUND',
      status: 404,
      details: { name: 'fraud', version: '9' },
    });
  });

  it('answers WORKER_NOT_FOUND when no worker answers in time', async () => {
    for (const id of ['predictive-3', 'gone']) {
      await expect(client.commandWorker(id, { action: 'list' }, 300)).rejects.toMatchObject({
        code: 'WORKER_NOT_FOUND',
        details: { worker_id: id, timeout_ms: 300 },
      });
    }
  });
});

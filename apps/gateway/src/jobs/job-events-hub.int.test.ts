import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { redisKeys } from '@gantry/job-state';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobEventsHub } from './job-events-hub.js';

// Real Redis: the hub's own subscriber connection, events published the way the state scripts do.
const prefix = `t-hub-${randomBytes(4).toString('hex')}`;
const keys = redisKeys(prefix);
const redis = new Redis('redis://127.0.0.1:6379');
const subscriber = new Redis('redis://127.0.0.1:6379');
const hub = new JobEventsHub(subscriber, prefix);

const publish = (jobId: string, name: string) =>
  redis.publish(keys.jobEventsChannel(jobId), `${jobId}\n1-0\n${name}\n{}`);
const subscribers = async (jobId: string) =>
  ((await redis.call('PUBSUB', 'NUMSUB', keys.jobEventsChannel(jobId))) as [string, number])[1];

// A SUBSCRIBE sent while ioredis's connect handshake is under way can land before its INFO ready check,
// which Redis then refuses ("Connection in subscriber mode", ioredis#2037). A gateway's subscriber is
// long connected before its first SSE request; here the first test would otherwise race the handshake.
beforeAll(async () => {
  if (subscriber.status !== 'ready') await once(subscriber, 'ready');
});

afterAll(async () => {
  await hub.close();
  await redis.quit();
});

describe('JobEventsHub', () => {
  it('hears the jobs it follows only, and drops a job channel with its last listener', async () => {
    const heard: string[] = [];
    const offFirst = await hub.on('a', (event) => heard.push(`first ${event.name}`));
    const offSecond = await hub.on('a', (event) => heard.push(`second ${event.name}`));
    expect(await subscribers('a')).toBe(1);

    await publish('a', 'status');
    await publish('b', 'status');
    await expect.poll(() => heard).toEqual(['first status', 'second status']);

    offFirst();
    expect(await subscribers('a')).toBe(1);
    offSecond();
    await expect.poll(() => subscribers('a')).toBe(0);
    expect(hub.size).toBe(0);
  });

  it('follows a job again after it was dropped', async () => {
    const heard: string[] = [];
    (await hub.on('c', () => heard.push('old')))();
    const off = await hub.on('c', (event) => heard.push(event.name));
    await publish('c', 'completed');
    await expect.poll(() => heard).toEqual(['completed']);
    off();
  });
});

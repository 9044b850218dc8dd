import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../start-gateway.js';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';

// A real gateway on the real Redis and PostgreSQL (own prefix and schema); no worker, so a job stays queued.
let harness: GatewayHarness;
let gateway: RunningGateway;
const keys = { jobs: '', platform: '' };

const get = (route: string, key?: string) =>
  fetch(`${gateway.url}${route}`, key ? { headers: { authorization: `Bearer ${key}` } } : {});

beforeAll(async () => {
  harness = await startGatewayHarness({ name: 'board' });
  ({ gateway } = harness);
  keys.jobs = await harness.key({ tenant: 'acme', name: 'app', scopes: ['jobs', 'admin'] });
  keys.platform = await harness.key({ tenant: 'ops', name: 'ops', scopes: ['jobs', 'platform'] });
}, 60_000);

afterAll(() => harness?.close());

describe('queue UI (bull-board) behind the platform key', () => {
  it('answers 401 without a key and 403 to a key without the platform scope, page, API and assets alike', async () => {
    for (const route of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/js/main.js']) {
      const none = await get(route);
      expect({ route, status: none.status }).toEqual({ route, status: 401 });
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
      const tenant = await get(route, keys.jobs);
      expect({ route, status: tenant.status }).toEqual({ route, status: 403 });
      expect(((await tenant.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    }
  });

  it('serves the page to a platform key and lists a queued job of a catalogue queue', async () => {
    const page = await get('/admin/queues', keys.platform);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);

    const submitted = await fetch(`${gateway.url}/v1/jobs/llm.sentiment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.jobs}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: { text: 'waiting for a worker' } }),
    });
    expect(submitted.status).toBe(202);
    const { id: jobId } = (await submitted.json()) as { id: string };

    const reply = await get(
      '/admin/queues/api/queues?activeQueue=llm&status=prioritized&page=1',
      keys.platform,
    );
    expect(reply.status).toBe(200);
    const { queues } = (await reply.json()) as {
      queues: {
        name: string;
        readOnlyMode: boolean;
        counts: Record<string, number>;
        jobs: { id: string }[];
      }[];
    };
    expect(queues.map((queue) => queue.name)).toEqual(
      expect.arrayContaining(['llm', 'ocr', 'predictive', 'vision']),
    );
    const llm = queues.find((queue) => queue.name === 'llm');
    expect(llm?.readOnlyMode).toBe(true);
    expect(llm?.counts['prioritized']).toBe(1);
    expect(llm?.jobs.map((job) => job.id)).toEqual([jobId]);
  });
});

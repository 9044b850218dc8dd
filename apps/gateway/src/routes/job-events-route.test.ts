import type { AddressInfo } from 'node:net';
import type { JobObject } from '@gantry/contracts';
import type { JobStateStore } from '@gantry/job-state';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEventsHub } from '../jobs/job-events-hub.js';
import type { JobReader } from '../jobs/job-reader.js';
import type { TenantHolds } from '../limits/tenant-holds.js';
import { jobEventsRoute } from './job-events-route.js';

// The race this guards: the job ends after the route's first read and before its channel subscription,
// so the `completed` event is published to nobody. A real server; the job's state changes in memory.
const job = (status: JobObject['status']): JobObject => ({
  id: 'j1',
  type: 'test.sleep',
  status,
  status_reason: null,
  priority: null,
  attempt: 1,
  max_attempts: 3,
  progress: { pct: status === 'succeeded' ? 100 : 0, message: null },
  input: {},
  output: null,
  error: null,
  model: null,
  worker: null,
  created_at: '2026-12-05T00:00:00.000Z',
  started_at: null,
  completed_at: status === 'succeeded' ? '2026-12-05T00:00:01.000Z' : null,
  expires_at: null,
  webhook: null,
  email: null,
  urls: { get: '/v1/jobs/j1', cancel: '/v1/jobs/j1/cancel', events: '/v1/jobs/j1/events' },
});

let current = job('queued');
let url = '';
let close = () => undefined as unknown;

beforeAll(async () => {
  const reader = { get: async () => current } as unknown as JobReader;
  // The job ends (and its completed event goes out) just before the subscription is confirmed.
  const hub = {
    on: async () => {
      current = job('succeeded');
      return () => undefined;
    },
  } as unknown as JobEventsHub;
  const store = { lastEventId: async () => '5-0', eventsSince: async () => [] } as unknown as JobStateStore;
  const holds = { acquire: async () => ({ release: () => undefined }) } as unknown as TenantHolds;
  const app = express();
  app.use((req, _res, next) => {
    req.auth = { tenant: 'acme', scopes: ['jobs'] } as unknown as typeof req.auth;
    next();
  });
  const router = express.Router();
  jobEventsRoute(router, { reader, store, hub, holds, stopping: new AbortController().signal });
  app.use(router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('GET /v1/jobs/{id}/events', () => {
  it('ends with completed for a job that ended between its first read and the subscription', async () => {
    const res = await fetch(`${url}/v1/jobs/j1/events`, { signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    expect(text).toContain('event: status');
    expect(text).toMatch(/id: 5-0\nevent: completed\ndata: \{"status":"succeeded"\}/);
  });
});

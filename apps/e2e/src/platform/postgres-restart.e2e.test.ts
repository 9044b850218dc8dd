import type { ErrorBody } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import type { GatewayProcess } from '../harness/gateway-process.js';
import { Platform } from '../harness/platform.js';
import { waitUntil } from '../harness/wait-until.js';

// PostgreSQL of this file's own (the embedded one of the quick start), stopped and started under a
// live gateway and worker; shared Redis under this file's prefix.
const platform = await Platform.start({ label: 'postgres-restart', postgres: 'own' });
const postgres = platform.ownPostgres as NonNullable<typeof platform.ownPostgres>;
let gateway: GatewayProcess;
let api: GatewayClient;

platform.printLogsOnFailure();

beforeAll(async () => {
  await platform.startWorker('test');
  // The gateway migrates the fresh database; the key can only be made after that.
  gateway = await platform.startGateway();
  api = platform.client(gateway, await platform.createApiKey());
  await api.waitForJobType('test.sleep');
}, 60_000);

afterAll(() => platform.cleanup(), 60_000);

const statuses = async (ids: string[]) =>
  (
    await platform.query<{ id: string; status: string }>('SELECT id, status FROM jobs WHERE id = ANY($1)', [
      ids,
    ])
  )
    .filter((row) => row.status === 'succeeded')
    .map((row) => row.id)
    .sort();

describe('a PostgreSQL restart', () => {
  it('records the jobs that finished while it was down once it is back; /readyz is 503 meanwhile', async () => {
    const before = await api.accept('test.sleep', { ms: 10 });
    await waitUntil(
      () => statuses([before.id]),
      (ids) => ids.length === 1,
      { what: 'the first job in Postgres' },
    );
    // Accepted now, finished while Postgres is away.
    const during = [(await api.accept('test.sleep', { ms: 1_500 })).id];

    await postgres.stop();
    const started = Date.now();
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'not_ready',
      checks: { redis: true, database: false },
    });

    // Redis holds the jobs: the gateway still takes them (the key was verified a moment ago) and serves
    // them, while the Postgres-backed list says it is unavailable.
    during.push((await api.accept('test.sleep', { ms: 10 })).id);
    const list = await api.fetch('/v1/jobs');
    expect(list.status).toBe(503);
    expect(((await list.json()) as ErrorBody).error.code).toBe('DATABASE_UNAVAILABLE');
    for (const id of during) await api.waitForJob(id, (j) => j.status === 'succeeded');

    await postgres.start();
    await waitUntil(
      async () => (await fetch(`${gateway.url}/readyz`)).status,
      (status) => status === 200,
      {
        what: 'the gateway to be ready again',
      },
    );
    // The recorder backs off while Postgres is away (up to 15 s between tries), then drains its backlog.
    expect(
      await waitUntil(
        () => statuses(during),
        (ids) => ids.length === 2,
        {
          what: 'the jobs that finished during the outage in Postgres',
          timeoutMs: 30_000,
          intervalMs: 250,
        },
      ),
    ).toEqual([...during].sort());
    const history = await platform.query<{ statuses: string[] }>(
      'SELECT array_agg(status ORDER BY seq) AS statuses FROM job_events WHERE job_id = ANY($1) GROUP BY job_id',
      [during],
    );
    expect(history.map((row) => row.statuses)).toEqual([
      ['queued', 'running', 'succeeded'],
      ['queued', 'running', 'succeeded'],
    ]);
  });
});

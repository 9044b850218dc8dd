import type { ErrorBody, JobObject } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import type { GatewayProcess } from '../harness/gateway-process.js';
import { Platform } from '../harness/platform.js';
import { waitUntil } from '../harness/wait-until.js';

// PostgreSQL of this file's own, stopped under a live gateway whose unrecorded backlog is bounded
// small (GATEWAY_MAX_UNRECORDED); shared Redis under this file's prefix.
const maxUnrecorded = 20;
const platform = await Platform.start({ label: 'unrecorded-backlog', postgres: 'own' });
const postgres = platform.ownPostgres as NonNullable<typeof platform.ownPostgres>;
let gateway: GatewayProcess;
let api: GatewayClient;

platform.printLogsOnFailure();

beforeAll(async () => {
  await platform.startWorker('test');
  gateway = await platform.startGateway('gateway', { GATEWAY_MAX_UNRECORDED: String(maxUnrecorded) });
  api = platform.client(gateway, await platform.createApiKey());
  await api.waitForJobType('test.sleep');
}, 60_000);

afterAll(() => platform.cleanup(), 60_000);

const succeededRows = async (ids: readonly string[]) =>
  (
    await platform.query<{ n: string }>(
      "SELECT count(*) AS n FROM jobs WHERE id = ANY($1) AND status = 'succeeded'",
      [ids],
    )
  )[0]?.n;

describe('the unrecorded backlog while PostgreSQL is down', () => {
  it('answers new jobs 503 DATABASE_UNAVAILABLE past the bound, loses none it accepted, and drains once back', async () => {
    // The API key is verified (and cached) while PostgreSQL is up.
    await api.accept('test.sleep', { ms: 1 });
    await postgres.stop();

    // Each job adds three entries (queued, running, succeeded) the recorder cannot write now.
    const accepted: string[] = [];
    let refused: { status: number; headers: Headers; body: JobObject | ErrorBody } | null = null;
    for (let i = 0; i < maxUnrecorded * 2 && !refused; i += 1) {
      const reply = await api.submit('test.sleep', { ms: 1 });
      if (reply.status === 202) accepted.push((reply.body as JobObject).id);
      else refused = reply;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get('retry-after')).toBe('2');
    expect((refused?.body as ErrorBody).error).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      retryable: true,
      details: { max_unrecorded: maxUnrecorded },
    });
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length).toBeLessThanOrEqual(maxUnrecorded);
    // Nothing accepted was evicted: every job runs, and Redis answers for it meanwhile.
    for (const id of accepted) await api.waitForJob(id, (job) => job.status === 'succeeded');

    await postgres.start();
    // The recorder backs off while PostgreSQL is away (up to 15 s between tries), then drains.
    await waitUntil(
      () => succeededRows(accepted),
      (n) => Number(n) === accepted.length,
      { what: 'every accepted job in PostgreSQL', timeoutMs: 40_000, intervalMs: 250 },
    );
    // Room again: new jobs are accepted.
    const after = await api.submit('test.sleep', { ms: 1 });
    expect(after.status).toBe(202);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { until } from '../testing/until.js';

// Real Redis, PostgreSQL (own schema), the runtime's test worker and its engine processes, the
// gateway's own batch feeder: nothing is faked.
let harness: GatewayHarness;
let key = '';
/** The bulk batch's tenant: fair share keeps the other tests' items from queueing behind it. */
let bulkKey = '';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const call = (route: string, init: RequestInit & { type?: string; key?: string } = {}) =>
  fetch(`${harness.gateway.url}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${init.key ?? key}`, 'content-type': init.type ?? 'application/json' },
  }) as Promise<Reply>;
const batch = async (id: string, as = key) => (await call(`/v1/batches/${id}`, { key: as })).json();
const results = async (id: string, as = key) =>
  (await (await call(`/v1/batches/${id}/results`, { key: as })).text())
    .trim()
    .split('\n')
    .map(
      (line) =>
        JSON.parse(line) as {
          index: number;
          status: string;
          output: unknown;
          error: { code: string; message: string } | null;
        },
    );

beforeAll(async () => {
  harness = await startGatewayHarness({
    name: 'batches',
    // A window far smaller than the bulk batch, so the feeder slides it many times.
    env: { GATEWAY_BATCH_WINDOW: '200' },
    worker: { concurrency: 4, heartbeatMs: 300 },
  });
  key = await harness.key({ tenant: 'acme', name: 'test', scopes: ['jobs'] });
  bulkKey = await harness.key({ tenant: 'bulk', name: 'test', scopes: ['jobs'] });
  await until(
    async () => (await (await call('/v1/job-types')).json()) as { data: { type: string }[] },
    (body) => body.data.some((entry) => entry.type === 'test.sleep'),
  );
}, 120_000);

afterAll(() => harness?.close());

describe('batches over HTTP', () => {
  // First: the cancel below kills engine processes, and their replacements (niced, loading TypeScript) take
  // tens of seconds to start on a loaded 2-core machine, which would measure that instead of the feeder.
  // 10,000 items: 50–60 s here on the loaded 2-core machine; the bench's workflows scenario runs 100,000.
  it('runs a 10,000-item JSONL batch through a sliding window and streams its results in input order', async () => {
    const lines = Array.from({ length: 10_000 }, () => JSON.stringify({ ms: 0 })).join('\n');
    const reply = await call('/v1/batches?type=test.sleep', {
      key: bulkKey,
      method: 'POST',
      body: lines,
      type: 'application/x-ndjson',
    });
    const created = await reply.json();
    expect(reply.status, JSON.stringify(created)).toBe(202);
    expect(created).toMatchObject({
      total: 10_000,
      type: 'test.sleep',
      urls: { results: `/v1/batches/${created.id}/results` },
    });
    // The batch ends at the feeder's next look after its last item: its counts add up from then on.
    const done = await until(
      () => batch(created.id, bulkKey),
      (value) => value.status !== 'queued' && value.status !== 'running',
      200_000,
      500,
    );
    expect(done.status).toBe('succeeded');
    expect(done.counts).toEqual({ pending: 0, succeeded: 10_000 });
    const all = await results(created.id, bulkKey);
    expect(all).toHaveLength(10_000);
    expect(all.every((line, i) => line.index === i && line.status === 'succeeded')).toBe(true);
  }, 240_000);

  it('lists partial failures with their errors, in input order', async () => {
    const reply = await call('/v1/batches', {
      method: 'POST',
      body: JSON.stringify({
        type: 'test.flaky',
        items: [{ code: 'HANDLER_FAILED' }, { code: 'VALIDATION_FAILED' }, { code: 'HANDLER_FAILED' }],
      }),
    });
    expect(reply.status).toBe(202);
    const { id } = await reply.json();
    await until(
      () => batch(id),
      (value) => value.status === 'succeeded' && value.counts.pending === 0,
      20_000,
    );
    const lines = await results(id);
    expect(lines.map((line) => line.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(lines[1]?.error?.code).toBe('VALIDATION_FAILED');
    expect(lines[0]?.output).toEqual({ attempt: 2 });
  });

  it('counts a finished batch by its items’ outcomes while PostgreSQL still lags behind their ends', async () => {
    // The recorder cannot write to `jobs` while this lock is held (reads go on): Redis gets every end
    // first, as it does when the recorder lags behind a batch that has just ended.
    const lock = await harness.pool.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE jobs IN EXCLUSIVE MODE');
      const reply = await call('/v1/batches', {
        method: 'POST',
        body: JSON.stringify({ type: 'test.sleep', items: [{ ms: 0 }, { ms: 0 }, { ms: 0 }] }),
      });
      const { id } = await reply.json();
      const read = await until(
        () => batch(id),
        (value) => value.status === 'succeeded',
        20_000,
      );
      expect(read.counts).toEqual({ pending: 0, succeeded: 3 });
    } finally {
      await lock.query('ROLLBACK');
      lock.release();
    }
  });

  it('refuses invalid items with the path of each, and a body without type or pipeline', async () => {
    const bad = await call('/v1/batches', {
      method: 'POST',
      body: JSON.stringify({ type: 'test.sleep', items: [{ ms: 1 }, { ms: 'x' }, { ms: -1 }] }),
    });
    expect(bad.status).toBe(422);
    const issues = (await bad.json()).error.details.issues.map((issue: { path: unknown[] }) =>
      issue.path.join('.'),
    );
    expect(issues).toEqual(['items.1.ms', 'items.2.ms']);
    const neither = await call('/v1/batches', { method: 'POST', body: JSON.stringify({ items: [{}] }) });
    expect(neither.status).toBe(422);
    const notJson = await call('/v1/batches?type=test.sleep', {
      method: 'POST',
      body: '{"ms":1}\n{nope',
      type: 'application/x-ndjson',
    });
    expect(notJson.status).toBe(400);
    expect((await call('/v1/batches/nope')).status).toBe(404);
  });

  it("checks and fills in items' blob references up front, the tenant's own blobs of a type the job reads", async () => {
    const upload = async (text: string, as = key) => {
      const form = new FormData();
      form.set('file', new Blob([text]), 'note.txt');
      const reply = await fetch(`${harness.gateway.url}/v1/blobs`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${as}` },
      });
      return (await reply.json()) as { blob_id: string; sha256: string };
    };
    const mine = await upload('an item reads me');
    const theirs = await upload('another tenant', bulkKey);
    const refused = await call('/v1/batches', {
      method: 'POST',
      body: JSON.stringify({
        type: 'test.checksum',
        items: [
          { file: { blob_id: mine.blob_id } },
          { file: { blob_id: theirs.blob_id } },
          { file: { blob_id: 'never-uploaded' } },
        ],
      }),
    });
    expect(refused.status).toBe(422);
    const issues = (await refused.json()).error.details.issues as { path: unknown[]; code: string }[];
    // Another tenant's blob is not found, exactly like one that never existed.
    expect(issues.map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['items.1.file', 'BLOB_NOT_FOUND'],
      ['items.2.file', 'BLOB_NOT_FOUND'],
    ]);
    // A forged media type or size is replaced by what the store knows, as for a single job.
    const reply = await call('/v1/batches', {
      method: 'POST',
      body: JSON.stringify({
        type: 'test.checksum',
        items: [{ file: { blob_id: mine.blob_id, media_type: 'image/png', size: 1 } }],
      }),
    });
    expect(reply.status).toBe(202);
    const { id } = await reply.json();
    await until(
      () => batch(id),
      (value) => value.status === 'succeeded',
      30_000,
    );
    const [line] = await results(id);
    expect(line?.output).toEqual({ sha256: mine.sha256, size: 'an item reads me'.length });
    const stored = await harness.pool.query<{ input: { file: Record<string, unknown> } }>(
      'SELECT input FROM batch_items WHERE batch_id = $1',
      [id],
    );
    expect(stored.rows[0]?.input.file).toMatchObject({ media_type: 'text/plain', sha256: mine.sha256 });
  });

  it('runs a pipeline per item', async () => {
    const reply = await call('/v1/batches', {
      method: 'POST',
      body: JSON.stringify({
        pipeline: {
          steps: [
            { id: 'a', type: 'test.sleep', input: { ms: '$input.ms' } },
            { id: 'b', type: 'test.sleep', input: { ms: '$steps.a.output.slept_ms' } },
          ],
          output: { slept: '$steps.b.output.slept_ms' },
        },
        items: [{ ms: 5 }, { ms: 10 }],
      }),
    });
    expect(reply.status).toBe(202);
    const { id } = await reply.json();
    await until(
      () => batch(id),
      (value) => value.status === 'succeeded' && value.counts.succeeded === 2,
      20_000,
    );
    expect((await results(id)).map((line) => line.output)).toEqual([{ slept: 5 }, { slept: 10 }]);
  });

  it('cancels a batch: items under way are canceled, the rest never start', async () => {
    // More items than the feeder's window (200): the last 50 are never started.
    const items = Array.from({ length: 250 }, () => ({ ms: 2_000 }));
    const { id } = await (
      await call('/v1/batches', { method: 'POST', body: JSON.stringify({ type: 'test.sleep', items }) })
    ).json();
    await until(
      () => results(id),
      (lines) => lines.some((line) => line.status === 'running'),
    );
    const reply = await call(`/v1/batches/${id}/cancel`, { method: 'POST' });
    expect(reply.status).toBe(202);
    const lines = await until(
      () => results(id),
      (all) => all.every((line) => ['canceled', 'succeeded'].includes(line.status)),
    );
    expect(lines.filter((line) => line.status === 'canceled').length).toBeGreaterThan(0);
    // The items it never started are no longer `pending`: they ended with the batch, and say so.
    const neverStarted = lines.filter((line) => line.error?.message.includes('before this item started'));
    expect(neverStarted.length).toBeGreaterThanOrEqual(50);
    expect(neverStarted[0]).toMatchObject({
      status: 'canceled',
      output: null,
      error: { code: 'JOB_CANCELED', details: { batch_status: 'canceled' } },
    });
    const ended = await batch(id);
    expect(ended.status).toBe('canceled');
    expect(ended.counts.pending).toBe(0);
    expect(Object.values(ended.counts).reduce((sum: number, n) => sum + (n as number), 0)).toBe(250);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { until } from '../testing/until.js';

// Real: the gateway over HTTP with its batch feeder, Redis, PostgreSQL (own schema) and the runtime's
// test worker, whose jobs are the sources. `llm.summarize` (a built-in contract) is only queued: no llm
// worker runs, so what the feeder filled in stays readable on the queued items.
let harness: GatewayHarness;
const keys = { acme: '', globex: '' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const call = (route: string, init: RequestInit & { key?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${harness.gateway.url}${route}`, {
    ...init,
    headers: {
      authorization: `Bearer ${init.key ?? keys.acme}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  }) as Promise<Reply>;
const submit = async (type: string, input: unknown, key = keys.acme, wait = 0) =>
  (
    await call(`/v1/jobs/${type}`, {
      method: 'POST',
      body: JSON.stringify({ input }),
      key,
      headers: wait > 0 ? { prefer: `wait=${wait}` } : {},
    })
  ).json();
const summarizeBatch = (items: unknown[]) =>
  call('/v1/batches', { method: 'POST', body: JSON.stringify({ type: 'llm.summarize', items }) });

interface ResultLine {
  index: number;
  id: string;
  status: string;
  error: { code: string; retryable: boolean; details: Record<string, unknown> } | null;
}
const results = async (id: string): Promise<ResultLine[]> =>
  (await (await call(`/v1/batches/${id}/results`)).text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);

/** A finished test.checksum job of the key's tenant: its output is `{ sha256, size }`. */
async function checksumJob(key: string): Promise<{ id: string; output: { sha256: string; size: number } }> {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('The depot opened in September.')]), 'note.txt');
  const res = await fetch(`${harness.gateway.url}/v1/jobs/test.checksum`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${key}`, prefer: 'wait=20' },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; output: { sha256: string; size: number } };
}

beforeAll(async () => {
  harness = await startGatewayHarness({ name: 'batchsource', worker: {} });
  const free = { rate_limit_per_s: 0 };
  keys.acme = await harness.key({ tenant: 'acme', name: 'a', scopes: ['jobs'], limits: free });
  keys.globex = await harness.key({ tenant: 'globex', name: 'g', scopes: ['jobs'], limits: free });
}, 60_000);

afterAll(() => harness?.close());

describe('batch items with a `source` (llm.summarize)', () => {
  it('fills each item from its source as it is fed; a source that cannot be read fails that item only', async () => {
    const done = await checksumJob(keys.acme);
    const theirs = await checksumJob(keys.globex);
    const failed = await submit('test.flaky', { code: 'VALIDATION_FAILED' }, keys.acme, 20);
    expect(failed.status).toBe('failed');
    const running = await submit('test.sleep', { ms: 30_000 });

    const reply = await summarizeBatch([
      { source: { job_id: done.id, path: 'sha256' }, length: { sentences: 1 } },
      { source: { job_id: running.id } },
      { source: { job_id: failed.id } },
      { source: { job_id: theirs.id, path: 'sha256' } },
      { source: { job_id: done.id, path: 'size' } },
      { text: 'A plain item between them. It has two sentences.' },
    ]);
    const created = await reply.json();
    expect(reply.status, JSON.stringify(created)).toBe(202);

    const lines = await until(
      () => results(created.id),
      (all) => all.every((line) => line.status !== 'pending'),
      20_000,
    );
    // No llm worker runs: the items that could be filled wait in the queue.
    expect(lines.map((line) => line.status)).toEqual([
      'queued',
      'failed',
      'failed',
      'failed',
      'failed',
      'queued',
    ]);
    expect(lines[1]?.error).toMatchObject({
      code: 'SOURCE_JOB_NOT_FINISHED',
      retryable: true,
      details: { field: 'source', job_id: running.id },
    });
    expect(lines[2]?.error).toMatchObject({
      code: 'SOURCE_JOB_NOT_SUCCEEDED',
      retryable: false,
      details: { status: 'failed' },
    });
    // Another tenant's job reads as absent, and nothing of its output leaks into the item.
    expect(lines[3]?.error).toMatchObject({ code: 'JOB_NOT_FOUND', details: { job_id: theirs.id } });
    expect(JSON.stringify(lines[3])).not.toContain(theirs.output.sha256);
    expect(lines[4]?.error).toMatchObject({
      code: 'SOURCE_NOT_TEXT',
      details: { path: 'size', found: 'number' },
    });

    const first = await (await call(`/v1/jobs/${lines[0]?.id}`)).json();
    expect(first.input).toEqual({
      source: { job_id: done.id, path: 'sha256', text: done.output.sha256 },
      length: { sentences: 1 },
      style: 'paragraph',
    });
    const refused = await (await call(`/v1/jobs/${lines[1]?.id}`)).json();
    expect(refused).toMatchObject({
      status: 'failed',
      attempt: 0,
      error: { code: 'SOURCE_JOB_NOT_FINISHED' },
    });

    // The refused items are recorded like any failed job: the batch counts them from PostgreSQL.
    const batch = await until(
      async () => (await call(`/v1/batches/${created.id}`)).json(),
      (value) => value.counts.failed === 4,
      20_000,
    );
    expect(batch.status).toBe('running');
    expect((await call(`/v1/batches/${created.id}/cancel`, { method: 'POST' })).status).toBe(202);
    await call(`/v1/jobs/${running.id}/cancel`, { method: 'POST' });
  });

  it('still refuses a malformed reference, or one beside text, at creation with the path of each', async () => {
    const reply = await summarizeBatch([
      { source: { job_id: 'a-job', path: 'pages[*].text' } },
      { text: 'Some text.', source: { job_id: 'a-job' } },
      { source: { job_id: 'a job' } },
    ]);
    expect(reply.status).toBe(422);
    const paths = (await reply.json()).error.details.issues.map((issue: { path: unknown[] }) =>
      issue.path.join('.'),
    );
    expect(paths).toEqual(['items.0.source.path', 'items.1.text', 'items.2.source.job_id']);
  });
});

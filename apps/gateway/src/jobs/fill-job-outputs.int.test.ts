import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';

// Real: the gateway over HTTP on the real Redis and PostgreSQL, and the runtime's test worker, whose
// finished jobs are the sources. `llm.summarize` (a built-in contract) is only submitted here: no llm
// worker runs, so what the gateway filled in stays readable on the queued job.
let harness: GatewayHarness;
const keys = { acme: '', globex: '' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const post = (route: string, body: unknown, key = keys.acme, headers = {}): Promise<Reply> =>
  fetch(`${harness.gateway.url}${route}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
  });
const summarize = (source: unknown, key = keys.acme) =>
  post('/v1/jobs/llm.summarize', { input: { source } }, key);

/** A finished test.checksum job of tenant acme: its output is `{ sha256, size }`. */
async function checksumJob(): Promise<{ id: string; output: { sha256: string; size: number } }> {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('The depot opened in September.')]), 'note.txt');
  const res = await fetch(`${harness.gateway.url}/v1/jobs/test.checksum`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${keys.acme}`, prefer: 'wait=20' },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; output: { sha256: string; size: number } };
}

beforeAll(async () => {
  harness = await startGatewayHarness({ name: 'jobsource', worker: {} });
  const free = { rate_limit_per_s: 0 };
  keys.acme = await harness.key({ tenant: 'acme', name: 'a', scopes: ['jobs'], limits: free });
  keys.globex = await harness.key({ tenant: 'globex', name: 'g', scopes: ['jobs'], limits: free });
}, 60_000);

afterAll(() => harness?.close());

describe('an input that refers to an earlier job output (llm.summarize source)', () => {
  it('fills in the text at the path from the succeeded job, replacing any text the client sent', async () => {
    const source = await checksumJob();
    const res = await summarize({ job_id: source.id, path: 'sha256', text: 'forged' });
    expect(res.status).toBe(202);
    const job = await res.json();
    expect(job.input.source).toEqual({ job_id: source.id, path: 'sha256', text: source.output.sha256 });
    const read: Reply = await fetch(`${harness.gateway.url}/v1/jobs/${job.id}`, {
      headers: { authorization: `Bearer ${keys.acme}` },
    });
    expect((await read.json()).input.source.text).toBe(source.output.sha256);
  });

  it("reads another tenant's job as absent: JOB_NOT_FOUND, nothing of it leaks", async () => {
    const source = await checksumJob();
    const res = await summarize({ job_id: source.id, path: 'sha256' }, keys.globex);
    expect(res.status).toBe(404);
    const { error } = await res.json();
    expect(error).toMatchObject({ code: 'JOB_NOT_FOUND', details: { field: 'source', job_id: source.id } });
    expect(JSON.stringify(error)).not.toContain(source.output.sha256);
  });

  it('refuses a path that holds no text with SOURCE_NOT_TEXT, saying what is there', async () => {
    const source = await checksumJob();
    const number = await summarize({ job_id: source.id, path: 'size' });
    expect(number.status).toBe(422);
    expect((await number.json()).error).toMatchObject({
      code: 'SOURCE_NOT_TEXT',
      details: { path: 'size', found: 'number' },
    });
    // The default path is `text`, which a checksum job does not have.
    const nothing = await summarize({ job_id: source.id });
    expect((await nothing.json()).error).toMatchObject({
      code: 'SOURCE_NOT_TEXT',
      details: { path: 'text', found: 'nothing' },
    });
  });

  it('refuses a job still running (retryable) and one that failed (not retryable)', async () => {
    const running = await (await post('/v1/jobs/test.sleep', { input: { ms: 3_000 } })).json();
    const early = await summarize({ job_id: running.id });
    expect(early.status).toBe(409);
    expect((await early.json()).error).toMatchObject({
      code: 'SOURCE_JOB_NOT_FINISHED',
      retryable: true,
      details: { job_id: running.id },
    });

    const failed = await post('/v1/jobs/test.flaky', { input: { code: 'VALIDATION_FAILED' } }, keys.acme, {
      prefer: 'wait=20',
    });
    const failedJob = await failed.json();
    expect(failedJob.status).toBe('failed');
    const late = await summarize({ job_id: failedJob.id });
    expect(late.status).toBe(409);
    expect((await late.json()).error).toMatchObject({
      code: 'SOURCE_JOB_NOT_SUCCEEDED',
      retryable: false,
      details: { status: 'failed' },
    });
  });

  it('answers VALIDATION_FAILED for a malformed reference, or one given beside text', async () => {
    const source = await checksumJob();
    const badPath = await summarize({ job_id: source.id, path: 'pages[*].text' });
    expect(badPath.status).toBe(422);
    expect((await badPath.json()).error.details.issues[0].path).toEqual(['source', 'path']);
    const both = await post('/v1/jobs/llm.summarize', {
      input: { text: 'Some text.', source: { job_id: source.id, path: 'sha256' } },
    });
    expect(both.status).toBe(422);
    expect((await both.json()).error.code).toBe('VALIDATION_FAILED');
  });
});

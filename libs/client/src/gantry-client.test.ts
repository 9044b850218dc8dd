import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LlmSentimentOutput } from '@gantry/contracts';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConnectionError,
  GantryClient,
  InvalidRequestError,
  type BatchRequest,
  type Job,
  type SubmitInput,
  JobFailedError,
  NotFoundError,
  RateLimitError,
} from './index.js';

// A real HTTP server on a free port plays the gateway's part: what is under test is the client's own
// handling of the wire (retries, Retry-After, Idempotency-Key, SSE resume); the e2e tests run it on the stack.
type Handler = (req: IncomingMessage, res: ServerResponse, call: number) => void;
const servers: ReturnType<typeof createServer>[] = [];
async function serve(handler: Handler): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const job = (status: string, extra: object = {}) => ({
  id: 'j1',
  type: 'llm.sentiment',
  status,
  completed_at: status === 'queued' ? null : '2026-01-01T00:00:00.000Z',
  error: null,
  ...extra,
});
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const errorBody = (code: string, retryable = false) => ({
  error: { code, message: code.toLowerCase(), retryable, details: null },
  request_id: 'req_1',
});

describe('GantryClient', () => {
  it('types a built-in job type’s input and output from its contract', () => {
    expectTypeOf<{ text: string }>().toExtend<SubmitInput<'llm.sentiment'>>();
    expectTypeOf<{ text: number }>().not.toExtend<SubmitInput<'llm.sentiment'>>();
    expectTypeOf<Job<'llm.sentiment'>['output']>().toEqualTypeOf<LlmSentimentOutput | null>();
    expectTypeOf<NonNullable<Job<'llm.sentiment'>['output']>['label']>().toEqualTypeOf<
      'positive' | 'negative' | 'neutral'
    >();
    // A file field may come from the `file` option instead; an announced type takes any object.
    expectTypeOf<{ languages: string[] }>().toExtend<SubmitInput<'ocr.extract'>>();
    expectTypeOf<{ anything: 1 }>().toExtend<SubmitInput<'team.custom'>>();
    // A batch's items are typed like a job's input; a JSONL file names a pipeline only by its name.
    expectTypeOf<{ type: 'llm.sentiment'; items: { text: string }[] }>().toExtend<
      BatchRequest<'llm.sentiment'>
    >();
    expectTypeOf<{ type: 'llm.sentiment'; items: { text: number }[] }>().not.toExtend<
      BatchRequest<'llm.sentiment'>
    >();
    expectTypeOf<{ pipeline: { steps: [] }; jsonl: Blob }>().not.toExtend<BatchRequest>();
  });

  it('retries a submission after a 503 with the same Idempotency-Key, waiting Retry-After', async () => {
    const { url, requests } = await serve((_req, res, call) =>
      call === 1
        ? json(res, 503, errorBody('QUEUE_UNAVAILABLE', true), { 'retry-after': '1' })
        : json(res, 202, job('queued')),
    );
    const started = Date.now();
    const submitted = await new GantryClient({ url, apiKey: 'gk_x' }).submit('llm.sentiment', { text: 'hi' });
    expect(submitted.status).toBe('queued');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(requests).toHaveLength(2);
    const [first, second] = requests.map((r) => r.headers['idempotency-key']);
    expect(first).toMatch(/^sdk-/);
    expect(second).toBe(first);
    expect(requests[0]?.headers.authorization).toBe('Bearer gk_x');
  });

  it('retries after a dropped connection, and gives up with a ConnectionError', async () => {
    const { url, requests } = await serve((req, res, call) =>
      call === 1 ? req.socket.destroy() : json(res, 200, job('succeeded')),
    );
    expect((await new GantryClient({ url }).get('j1')).status).toBe('succeeded');
    expect(requests).toHaveLength(2);
    const dead = await serve((req) => req.socket.destroy());
    await expect(new GantryClient({ url: dead.url, maxRetries: 1 }).get('j1')).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(dead.requests).toHaveLength(2);
  });

  it('throws typed errors carrying the API’s code, and does not retry them', async () => {
    const { url, requests } = await serve((req, res) => {
      if (req.url?.includes('missing')) json(res, 404, errorBody('JOB_NOT_FOUND'));
      else if (req.url?.includes('limited'))
        json(res, 429, errorBody('RATE_LIMITED', true), { 'retry-after': '7' });
      else json(res, 422, errorBody('VALIDATION_FAILED'));
    });
    const client = new GantryClient({ url, maxRetries: 0 });
    await expect(client.get('missing')).rejects.toMatchObject({
      constructor: NotFoundError,
      code: 'JOB_NOT_FOUND',
      status: 404,
      requestId: 'req_1',
    });
    await expect(client.submit('llm.sentiment', { text: '' })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(client.get('limited')).rejects.toMatchObject({
      constructor: RateLimitError,
      retryAfterS: 7,
    });
    expect(requests).toHaveLength(3);
  });

  it('throws at once, rather than hanging, when Retry-After asks for longer than its longest backoff', async () => {
    const { url, requests } = await serve((_req, res) =>
      json(res, 429, errorBody('QUOTA_EXCEEDED', true), { 'retry-after': '3600' }),
    );
    await expect(new GantryClient({ url, maxRetries: 3 }).get('j1')).rejects.toMatchObject({
      constructor: RateLimitError,
      code: 'QUOTA_EXCEEDED',
      retryAfterS: 3_600,
    });
    expect(requests).toHaveLength(1);
  });

  it('resumes a dropped event stream with Last-Event-ID, with no event lost or repeated', async () => {
    const lastIds: (string | undefined)[] = [];
    const { url } = await serve((req, res, call) => {
      lastIds.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (call === 1) {
        res.write('id: 1-0\nevent: status\ndata: {"status":"running"}\n\n');
        res.write('id: 1-1\nevent: progress\ndata: {"pct":50,"message":"half"}\n\n');
        setTimeout(() => req.socket.destroy(), 50);
      } else {
        res.write('id: 1-2\nevent: progress\ndata: {"pct":100,"message":null}\n\n');
        res.end('id: 1-3\nevent: completed\ndata: {"status":"succeeded"}\n\n');
      }
    });
    const seen: string[] = [];
    for await (const event of new GantryClient({ url }).events('j1')) seen.push(`${event.id} ${event.event}`);
    expect(seen).toEqual(['1-0 status', '1-1 progress', '1-2 progress', '1-3 completed']);
    expect(lastIds).toEqual([undefined, '1-1']);
  });

  it('walks the pages of a list by their cursors', async () => {
    const { url, requests } = await serve((req, res) => {
      const cursor = new URL(req.url ?? '', 'http://x').searchParams.get('cursor');
      json(res, 200, {
        data: [job('succeeded', { id: cursor ?? 'first' })],
        next_cursor: cursor ? null : 'c2',
      });
    });
    const ids: string[] = [];
    for await (const page of new GantryClient({ url }).list({ status: ['succeeded', 'failed'], limit: 1 }))
      ids.push(...page.data.map((j) => j.id));
    expect(ids).toEqual(['first', 'c2']);
    expect(requests[0]?.url).toBe('/v1/jobs?status=succeeded%2Cfailed&limit=1');
  });

  it('runs a job to its end and throws JobFailedError when it did not succeed', async () => {
    const { url } = await serve((req, res) => {
      if (req.method === 'POST') return json(res, 202, job('queued'));
      if (req.url?.endsWith('/events')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('id: 1-0\nevent: progress\ndata: {"pct":40,"message":"step"}\n\n');
        return res.end('id: 1-1\nevent: completed\ndata: {"status":"failed"}\n\n');
      }
      json(
        res,
        200,
        job('failed', {
          error: { code: 'LANGUAGE_UNSUPPORTED', message: 'in French', retryable: false, details: null },
        }),
      );
    });
    const progress: number[] = [];
    const run = new GantryClient({ url }).run(
      'llm.sentiment',
      { text: ' ' },
      { onProgress: (p) => progress.push(p.pct) },
    );
    await expect(run).rejects.toMatchObject({ constructor: JobFailedError, code: 'LANGUAGE_UNSUPPORTED' });
    expect(progress).toEqual([40]);
  });

  it('reads batch results a line at a time, lines split across chunks alike', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"index":0,"id":"j0","status":"succeeded","output":{"slept_ms":1},"er');
      setTimeout(
        () => res.end('ror":null}\n{"index":1,"id":"j1","status":"pending","output":null,"error":null}\n'),
        50,
      );
    });
    const lines = [];
    for await (const line of new GantryClient({ url }).batchResults<'test.sleep'>('b1')) lines.push(line);
    expect(lines.map((line) => [line.index, line.status, line.output])).toEqual([
      [0, 'succeeded', { slept_ms: 1 }],
      [1, 'pending', null],
    ]);
  });

  it('sends a JSONL batch as it is, naming its work in the query, and never sends a batch twice', async () => {
    const bodies: string[] = [];
    const { url, requests } = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        json(res, 503, errorBody('QUEUE_UNAVAILABLE', true), { 'retry-after': '0' });
      });
    });
    const jsonl = new Blob(['{"ms":1}\n{"ms":2}\n']);
    await expect(
      new GantryClient({ url }).submitBatch({ pipeline: 'document-summary', jsonl }),
    ).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('/v1/batches?pipeline=document-summary');
    expect(requests[0]?.headers['content-type']).toBe('application/x-ndjson');
    expect(bodies).toEqual(['{"ms":1}\n{"ms":2}\n']);
  });
});

import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pacedLoad } from './paced-load.js';

// A real server that records what it was sent and refuses every tenth request.
const seen: { method: string | undefined; headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    seen.push({ method: req.method, headers: req.headers, body });
    res.statusCode = seen.length % 10 === 0 ? 503 : 202;
    res.end('{}');
  });
});
let url = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/jobs/bench.noop`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('pacedLoad', () => {
  it('sends rate × duration requests from its own process, each with its headers, body and a fresh idempotency key', async () => {
    seen.length = 0;
    const result = await pacedLoad({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: '{"input":{"n":1}}',
      idempotencyKeys: true,
      ratePerSecond: 100,
      durationS: 0.5,
    });

    expect(seen).toHaveLength(50);
    expect(result.ok).toBe(45);
    expect(result.failed).toBe(5);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    // An even rate: 50 requests at 100/s take about half a second, not one burst.
    expect(result.durationS).toBeGreaterThan(0.45);
    expect(result.senderDelayMaxMs).toBeGreaterThanOrEqual(0);
    for (const request of seen) {
      expect(request).toMatchObject({ method: 'POST', body: '{"input":{"n":1}}' });
      expect(request.headers).toMatchObject({
        'content-type': 'application/json',
        authorization: 'Bearer k',
      });
    }
    expect(new Set(seen.map((request) => request.headers['idempotency-key'])).size).toBe(50);
  });

  it('sends GETs without a body or keys', async () => {
    seen.length = 0;
    const result = await pacedLoad({ url, method: 'GET', ratePerSecond: 40, durationS: 0.25 });
    expect(seen).toHaveLength(10);
    expect(result.ok + result.failed).toBe(10);
    expect(seen.every((request) => request.method === 'GET' && request.body === '')).toBe(true);
    expect(seen.every((request) => request.headers['idempotency-key'] === undefined)).toBe(true);
  });
});

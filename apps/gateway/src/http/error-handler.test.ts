import type { AddressInfo } from 'node:net';
import type { Logger } from '@gantry/observability';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';
import { traceId } from './trace-id.js';

// A real HTTP server whose route throws what a library might: a raw error naming a file. The logger
// records what it is given.
const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
const record =
  (level: string) =>
  (fields: Record<string, unknown>, message = '') =>
    lines.push({ level, fields, message });
const logger = { error: record('error'), info: record('info'), debug: record('debug') } as unknown as Logger;
let url = '';
let close = () => undefined as unknown;

beforeAll(async () => {
  const app = express();
  app.use(traceId);
  app.get('/boom', () => {
    const error = new Error("ENOENT: no such file or directory, open '/srv/gantry/blobs/acme/blob_1'");
    throw error;
  });
  app.get('/late', async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': opened\n\n');
    throw new Error('ERR Invalid stream ID specified as stream command argument');
  });
  app.use(errorHandler(logger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('errorHandler', () => {
  it('answers an unknown error as INTERNAL with the request id, keeping its message and stack in the log line only', async () => {
    const res = await fetch(`${url}/boom`, { headers: { 'x-request-id': 'req-abcdef12' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'INTERNAL', message: 'internal error', retryable: true, details: null },
      request_id: 'req-abcdef12',
    });
    expect(text).not.toMatch(/\/srv\/|ENOENT|\n\s+at /);
    const line = lines.find((l) => l.level === 'error');
    expect(line?.fields).toMatchObject({ requestId: 'req-abcdef12', code: 'INTERNAL', url: '/boom' });
    expect(String((line?.fields['err'] as Error).stack)).toContain('/srv/gantry');
  });

  it('logs an error that comes after the answer began, and ends the answer', async () => {
    const res = await fetch(`${url}/late`, { headers: { 'x-request-id': 'req-late1234' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(': opened\n\n');
    const line = lines.find((l) => l.fields['requestId'] === 'req-late1234');
    expect(line).toMatchObject({ level: 'error', message: 'request failed after its answer began' });
    expect(String((line?.fields['err'] as Error).message)).toContain('Invalid stream ID');
  });
});

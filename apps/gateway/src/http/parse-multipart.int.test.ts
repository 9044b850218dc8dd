import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { FileBlobStore } from '@gantry/blob-store';
import { GantryError } from '@gantry/contracts';
import { createLogger } from '@gantry/observability';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UploadQuota } from '../limits/upload-quota.js';
import { errorHandler } from './error-handler.js';
import { parseMultipart } from './parse-multipart.js';

// A real HTTP server running parseMultipart into a real file blob store (and the upload quota on the
// real Redis); clients are raw sockets, so a test can stop mid-body, or keep sending past the limit.
const prefix = `t-multipart-${process.pid}-${Date.now()}`;
const redis = new Redis('redis://127.0.0.1:6379');
const quota = new UploadQuota(redis, prefix, 1_000);
const fileLimit = 100_000;
let blobDir: string;
let server: Server;
let port: number;
let outcomes: string[] = [];

beforeAll(async () => {
  blobDir = await mkdtemp(path.join(tmpdir(), 'gantry-multipart-'));
  const store = new FileBlobStore(blobDir);
  const app = express();
  for (const [route, uploads] of [
    ['/upload', undefined],
    ['/quota', quota],
  ] as const) {
    app.post(route, (req, res, next) => {
      parseMultipart(req, 'acme', store, { fileBytes: fileLimit, fieldBytes: 1_000 }, uploads).then(
        (parsed) => {
          outcomes.push('resolved');
          res.json({
            size: parsed.blob?.size ?? null,
            priority: parsed.priority ?? null,
            filename: parsed.blob?.filename ?? null,
          });
        },
        (error: unknown) => {
          outcomes.push(error instanceof GantryError ? error.code : 'other');
          next(error);
        },
      );
    });
  }
  app.use(errorHandler(createLogger('test', 'silent')));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
beforeEach(async () => {
  outcomes = [];
  await rm(path.join(blobDir, 'acme'), { recursive: true, force: true });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(blobDir, { recursive: true, force: true });
  const stale = await redis.keys(`${prefix}:*`);
  if (stale.length > 0) await redis.del(...stale);
  await redis.quit();
});

const boundary = 'gantry-test-boundary';
const filePartHead = (name = 'file') =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="a.bin"\r\n` +
  'Content-Type: application/octet-stream\r\n\r\n';
const fieldPart = (name: string, value: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const end = `--${boundary}--\r\n`;
const fileBody = (bytes: number) => `${filePartHead()}${'x'.repeat(bytes)}\r\n${end}`;

/** Opens a request whose body the test writes itself; `response` collects what the server sends. */
function rawRequest(route: string, contentLength: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let response = '';
  socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `POST ${route} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${contentLength}\r\n\r\n`,
  );
  return { socket, closed, response: () => response };
}

async function send(route: string, body: string) {
  const request = rawRequest(route, Buffer.byteLength(body));
  request.socket.write(body);
  await request.closed;
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(request.response())?.[1]);
}

/** Every file under the blob directory, and every descriptor of this process open on one. */
async function leftovers() {
  const files = (await readdir(blobDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
  const descriptors: string[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(blobDir)) descriptors.push(target);
  }
  return { files, descriptors };
}

describe('parseMultipart on a real server and blob store', () => {
  it('stores a file within the limit and reads its fields', async () => {
    const body = `${fieldPart('priority', '3')}${fileBody(1_000)}`;
    expect(await send('/upload', body)).toBe(200);
    expect(outcomes).toEqual(['resolved']);
  });

  it('keeps a UTF-8 file name as sent (by fetch, curl or a browser), and reads filename* too', async () => {
    const form = new FormData();
    form.set('file', new Blob(['hello']), 'édition € 😀.png');
    const res = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: form });
    expect(await res.json()).toMatchObject({ size: 5, filename: 'édition € 😀.png' });
    const encoded = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''%C3%A9t%C3%A9.txt\r\n\r\nhi\r\n${end}`;
    const request = rawRequest('/upload', Buffer.byteLength(encoded));
    request.socket.write(encoded);
    await request.closed;
    // The raw response is read as latin1: its bytes, decoded as the UTF-8 they are.
    expect(Buffer.from(request.response(), 'latin1').toString('utf8')).toContain('"filename":"été.txt"');
  });

  it('leaves no open file, no partial file and no pending promise when the client aborts', async () => {
    const request = rawRequest('/upload', 90_000);
    request.socket.write(filePartHead());
    request.socket.write('x'.repeat(40_000));
    // The partial file exists while the upload runs…
    await expect.poll(async () => (await leftovers()).files.length, { timeout: 5_000 }).toBe(1);
    request.socket.destroy();
    // …and once the client is gone, the parse settles and nothing is left open or on disk.
    await expect.poll(() => outcomes, { timeout: 5_000 }).toEqual(['BAD_REQUEST']);
    expect(await leftovers()).toEqual({ files: [], descriptors: [] });
  });

  it('answers 413 at the limit, before the body is sent, closes the connection and stores nothing', async () => {
    const total = 64 * 1_048_576;
    const request = rawRequest('/upload', total);
    request.socket.write(filePartHead());
    const chunk = Buffer.alloc(64 * 1_024, 'x');
    let sent = 0;
    while (sent < total && !request.response() && !request.socket.destroyed) {
      if (!request.socket.write(chunk)) {
        await Promise.race([
          new Promise((resolve) => request.socket.once('drain', resolve)),
          request.closed,
          delay(200),
        ]);
      }
      sent += chunk.length;
    }
    await request.closed;
    expect(request.response()).toMatch(/^HTTP\/1\.1 413 /);
    expect(request.response()).toMatch(/\r\nConnection: close\r\n/i);
    expect(request.response()).toContain('"code":"PAYLOAD_TOO_LARGE"');
    // The server stopped reading near the limit: the client could not push the whole body through.
    expect(sent).toBeLessThan(total / 2);
    expect(outcomes).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(await leftovers()).toEqual({ files: [], descriptors: [] });
  });

  it('limits the parts, the field size and the size of a part header', async () => {
    const manyParts = Array.from({ length: 8 }, (_, i) => fieldPart(`f${i}`, 'v')).join('') + end;
    expect(await send('/upload', manyParts)).toBe(400);
    expect(await send('/upload', fieldPart('input', `{"a":"${'x'.repeat(2_000)}"}`) + end)).toBe(413);
    const bigHeader =
      `--${boundary}\r\nContent-Disposition: form-data; name="input"\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\n{}\r\n` +
      end;
    expect(await send('/upload', bigHeader)).toBe(400);
    expect(await send('/upload', `${filePartHead('other')}abc\r\n${end}`)).toBe(400);
    // The same part twice: which one the client meant is unknown, so neither is taken.
    const twice = `${fieldPart('input', '{"a":1}')}${fieldPart('input', '{"a":2}')}${fileBody(10)}`;
    expect(await send('/upload', twice)).toBe(400);
    expect(outcomes.at(-1)).toBe('BAD_REQUEST');
    expect(await leftovers()).toEqual({ files: [], descriptors: [] });
  });

  it("refuses an upload past the tenant's daily bytes with QUOTA_EXCEEDED, and stores nothing", async () => {
    expect(await send('/quota', fileBody(800))).toBe(200);
    const files = (await leftovers()).files.length;
    expect(await send('/quota', fileBody(800))).toBe(429);
    expect(outcomes).toEqual(['resolved', 'QUOTA_EXCEEDED']);
    expect((await leftovers()).files.length).toBe(files);
    // What is left of the day (200 bytes) can still be used, and no more.
    expect(await send('/quota', fileBody(150))).toBe(200);
    expect(await send('/quota', fileBody(100))).toBe(429);
    // Retry-After: the day's allowance starts over at the next UTC midnight.
    const retryAfter = quota.exceeded().details?.['retry_after_s'] as number;
    const midnight = new Date().setUTCHours(24, 0, 0, 0);
    expect(Math.abs(Date.now() + retryAfter * 1_000 - midnight)).toBeLessThanOrEqual(2_000);
  });
});

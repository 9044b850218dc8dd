import { connect, type AddressInfo } from 'node:net';
import http from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpressHttpServer } from './express-http-server.js';

describe('createExpressHttpServer', () => {
  const app = express();
  app.use(express.json());
  app.post('/echo/:name', (req, res) => {
    res
      .status(201)
      .set('x-name', req.params['name'])
      .json({ body: req.body as unknown, type: req.is('json') });
  });
  const server = createExpressHttpServer(app);
  // Heard before Express's own listener: the objects as Node built them, before any prototype switch.
  const born: { req: unknown; res: unknown }[] = [];
  server.prependListener('request', (req, res) => {
    born.push({ req: Object.getPrototypeOf(req), res: Object.getPrototypeOf(res) });
  });
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("builds each request and response with the app's prototypes, so Express switches none", async () => {
    await fetch(`${url}/echo/a`, { method: 'POST' });
    expect(born.at(-1)).toEqual({ req: app.request, res: app.response });
  });

  it("keeps Node's own classes underneath, and Express's API on top", async () => {
    const answer = await fetch(`${url}/echo/b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-name')).toBe('b');
    expect(await answer.json()).toEqual({ body: { n: 1 }, type: 'json' });
    expect(app.request).toBeInstanceOf(http.IncomingMessage);
    expect(app.response).toBeInstanceOf(http.ServerResponse);
  });

  /** Writes `request` as raw bytes and reads the whole answer, until the server closes the connection. */
  const rawExchange = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      let answer = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.end(request);
    });

  it('answers a request Node cannot parse with the API error shape, 400 BAD_REQUEST, and closes', async () => {
    const cases = {
      'a garbage request line': 'GARBAGE\r\n\r\n',
      'an unknown method': 'BREW /echo/a HTTP/1.1\r\nHost: x\r\n\r\n',
      'Content-Length and Transfer-Encoding': `POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      'two Content-Lengths':
        'POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      'a control character in a header': 'GET /echo/a HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n',
      'headers over the limit': `GET /echo/a HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    };
    for (const [what, request] of Object.entries(cases)) {
      const answer = await rawExchange(request);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect(head, what).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(head, what).toMatch(/\r\nConnection: close(\r\n|$)/);
      const requestId = /\r\nX-Request-Id: (\w+)/.exec(head)?.[1];
      expect(JSON.parse(body), what).toEqual({
        error: {
          code: 'BAD_REQUEST',
          message: expect.any(String),
          retryable: false,
          details: expect.any(Object),
        },
        request_id: requestId,
      });
    }
    expect(await rawExchange(cases['headers over the limit'])).toContain('headers are over the');
    // On a kept-alive connection, once its first request is answered, too.
    const second = await new Promise<string>((resolve, reject) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      let answer = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        answer += chunk;
        if (/^HTTP\/1\.1 201 [\s\S]*\}$/.test(answer) && !answer.includes('400'))
          socket.end(cases['a garbage request line']);
      });
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.write('POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
    });
    expect(second).toMatch(/^HTTP\/1\.1 201 Created\r\n[\s\S]*HTTP\/1\.1 400 Bad Request\r\n/);
    expect(second).toContain('"code":"BAD_REQUEST"');
  });
});

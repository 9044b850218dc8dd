import type { AddressInfo } from 'node:net';
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
});

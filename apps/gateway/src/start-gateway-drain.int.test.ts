import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from './start-gateway.js';
import { type GatewayHarness, startGatewayHarness } from './testing/gateway-harness.js';
import { until } from './testing/until.js';

// A gateway told to stop while requests are in flight, nothing mocked: Redis, Postgres (own schema),
// BullMQ and a paused worker, so jobs stay queued and waits stay open until the drain ends them.
let harness: GatewayHarness;
let gateway: RunningGateway;
let key = '';

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}/v1/jobs/test.sleep`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const inFlight = /^gantry_http_requests_in_flight(?:{[^}]*})? (\d+)$/m;

/** A POST sent by hand: its headers and half its body now, the rest when asked. */
function halfSentPost(url: string, body: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let reply = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (reply += chunk));
  const ended = new Promise<string>((resolve) => socket.once('close', () => resolve(reply)));
  const half = Math.floor(body.length / 2);
  socket.write(
    `POST /v1/jobs/test.sleep HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${key}\r\n` +
      `content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, half)}`,
  );
  return { rest: () => socket.write(body.slice(half)), ended };
}

beforeAll(async () => {
  harness = await startGatewayHarness({ name: 'gw-drain', worker: { heartbeatMs: 300 } });
  await harness.worker.pause();
  gateway = harness.gateway;
  key = await harness.key({ tenant: 'acme', name: 'test', scopes: ['jobs'] });
}, 60_000);

afterAll(() => harness?.close());

describe('a gateway told to stop (rolling update, scale-in)', () => {
  it('answers the requests it has begun — a half-sent POST, a Prefer: wait, an SSE stream — then closes', async () => {
    const queued = await post({ input: { ms: 10 } });
    expect(queued.status).toBe(202);
    const { id } = (await queued.json()) as { id: string };

    const waiting = post({ input: { ms: 10 } }, { prefer: 'wait=50' });
    const events = await fetch(`${gateway.url}/v1/jobs/${id}/events`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(events.status).toBe(200);
    const streamed = events.text();
    const upload = halfSentPost(gateway.url, JSON.stringify({ input: { ms: 10 } }));
    // The wait, the stream and the upload are in the gateway's hands before it is told to stop.
    await until(
      async () => (await (await fetch(`${gateway.metricsUrl}/metrics`)).text()).match(inFlight)?.[1],
      (count) => count === '3',
    );

    const closing = gateway.close();
    upload.rest();

    // The wait answers at once with the job as it is (still queued), not a reset connection.
    const waited = await waiting;
    expect(waited.status).toBe(202);
    expect(((await waited.json()) as { status: string }).status).toBe('queued');
    // The stream sent the current state, then ended: the client resumes on another replica.
    const text = await streamed;
    expect(text).toContain('event: status');
    expect(text).not.toContain('event: completed');
    // The upload finished after the stop began, and was accepted; its connection closes after the answer.
    const reply = await upload.ended;
    expect(reply).toMatch(/^HTTP\/1\.1 202 /);
    expect(reply.toLowerCase()).toContain('connection: close');
    await closing;

    // No new connection is taken once it has stopped.
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });
});

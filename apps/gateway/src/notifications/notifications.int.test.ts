import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { until } from '../testing/until.js';

// The whole path on real things: a gateway (Redis, PostgreSQL, its recorder thread and delivery worker),
// the runtime's test worker, an HTTP receiver and an SMTP server started here. The receiver listens on
// 127.0.0.1, which the gateway may reach only because WEBHOOK_ALLOWED_HOSTS names it; `localhost` is not
// named, so a webhook there is refused after DNS.
let harness: GatewayHarness;
let receiver: Server;
let smtp: SMTPServer;
let hookBase: string;
const keys = { admin: '', jobs: '', nosecret: '' };
const hits: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
/** How the receiver answers each path, in turn (then 200). */
const script = new Map<string, number[]>();
const mails: ParsedMail[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { status: number; body: any };
const call = async (method: string, route: string, key: string, body?: unknown): Promise<Reply> => {
  const response = await fetch(`${harness.gateway.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
};
const deliveries = async (jobId: string, channel = 'webhook') =>
  (await call('GET', `/v1/jobs/${jobId}/${channel}-deliveries`, keys.jobs)).body.data as {
    id: string;
    status: string;
    event: string;
    attempts: { status_code: number | null; error: { code: string } | null }[];
    urls: { redeliver: string };
  }[];
const hitsOn = (path: string) => hits.filter((hit) => hit.path === path);

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      hits.push({ path, headers: req.headers, body });
      res.writeHead(script.get(path)?.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookPort = (receiver.address() as AddressInfo).port;
  hookBase = `http://127.0.0.1:${hookPort}`;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => mails.push(mail))
        .then(() => done(), done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  harness = await startGatewayHarness({
    name: 'notify',
    env: {
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_WINDOW_S: '2',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      SMTP_FROM: 'Gantry <gantry@example.test>',
      GANTRY_PUBLIC_URL: 'https://gantry.example.test',
    },
    worker: { heartbeatMs: 300 },
  });
  keys.admin = await harness.key({ tenant: 'acme', name: 'ops', scopes: ['jobs', 'admin'] });
  keys.jobs = await harness.key({ tenant: 'acme', name: 'backend', scopes: ['jobs'] });
  keys.nosecret = await harness.key({ tenant: 'nosecret', name: 'backend', scopes: ['jobs'] });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await new Promise<void>((resolve) => smtp?.close(resolve));
});

describe('webhooks (real gateway, worker, receiver)', () => {
  let secret: string;

  it('creates the signing secret for the tenant (admin only), shown once', async () => {
    expect((await call('POST', '/v1/webhook-secret', keys.jobs)).status).toBe(403);
    const created = await call('POST', '/v1/webhook-secret', keys.admin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      secret: expect.stringMatching(/^whsec_/),
      previous_valid_until: null,
    });
    secret = created.body.secret as string;
  });

  it('delivers a signed job.succeeded, retried after a 500, logged, and redelivered by hand', async () => {
    script.set('/retry', [500]);
    const submitted = await call('POST', '/v1/jobs/test.sleep', keys.jobs, {
      input: { ms: 10 },
      webhook: { url: `${hookBase}/retry` },
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body.webhook).toEqual({
      url: `${hookBase}/retry`,
      events: ['succeeded', 'failed', 'canceled', 'timed_out', 'expired'],
    });
    const jobId = submitted.body.id as string;

    const [log] = await until(
      () => deliveries(jobId),
      (data) => data[0]?.status === 'delivered',
      20_000,
    );
    expect(log?.event).toBe('job.succeeded');
    expect(log?.attempts.map((attempt) => attempt.status_code)).toEqual([500, 200]);
    expect(log?.attempts[0]?.error?.code).toBe('WEBHOOK_DELIVERY_FAILED');
    const [first, second] = hitsOn('/retry');
    expect(first?.headers['webhook-id']).toBe(log?.id);
    expect(second?.headers['webhook-id']).toBe(log?.id);
    const payload = new Webhook(secret).verify(second?.body ?? '', second?.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: 'job.succeeded', data: { id: jobId, status: 'succeeded' } });

    const redelivered = await call('POST', log?.urls.redeliver ?? '', keys.jobs);
    expect(redelivered.status).toBe(202);
    await until(
      () => deliveries(jobId),
      (data) => data[0]?.status === 'delivered' && data[0].attempts.length === 3,
    );
    expect(hitsOn('/retry').map((hit) => hit.headers['webhook-id'])).toEqual([log?.id, log?.id, log?.id]);
    // Another tenant sees neither the log nor the job.
    expect((await call('GET', `/v1/jobs/${jobId}/webhook-deliveries`, keys.nosecret)).status).toBe(404);
    expect(
      (await call('POST', `/v1/jobs/${jobId}/webhook-deliveries/msg_nope/redeliver`, keys.jobs)).body.error
        .code,
    ).toBe('NOTIFICATION_NOT_FOUND');
  }, 30_000);

  it('takes the webhook as a part of a multipart upload too', async () => {
    const form = new FormData();
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    form.append('webhook', JSON.stringify({ url: `${hookBase}/upload` }));
    const response = await fetch(`${harness.gateway.url}/v1/jobs/test.checksum`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.jobs}` },
      body: form,
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await until(
      () => deliveries(id),
      (data) => data[0]?.status === 'delivered',
    );
    const [hit] = hitsOn('/upload');
    expect(new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>)).toMatchObject(
      {
        data: { id, status: 'succeeded', output: { size: 5 } },
      },
    );
  });

  it('fires on the statuses asked for, once each', async () => {
    const submitted = await call('POST', '/v1/jobs/test.sleep', keys.jobs, {
      input: { ms: 10 },
      webhook: { url: `${hookBase}/events`, events: ['running', 'succeeded'] },
    });
    const data = await until(
      () => deliveries(submitted.body.id as string),
      (log) => log.length === 2 && log.every((one) => one.status === 'delivered'),
    );
    expect(data.map((one) => one.event).sort()).toEqual(['job.running', 'job.succeeded']);
    expect(hitsOn('/events')).toHaveLength(2);
  });

  it('gives up after the retry window, the log saying why', async () => {
    script.set('/down', Array(20).fill(503));
    const submitted = await call('POST', '/v1/jobs/test.sleep', keys.jobs, {
      input: { ms: 10 },
      webhook: { url: `${hookBase}/down` },
    });
    // Base 200 ms within 2 s: attempts at 0, 0.2, 0.6 and 1.4 s.
    const [log] = await until(
      () => deliveries(submitted.body.id as string),
      (data) => data[0]?.status === 'failed',
      20_000,
    );
    expect(log?.attempts.map((attempt) => attempt.status_code)).toEqual([503, 503, 503, 503]);
  }, 30_000);

  it('refuses literal private addresses at submission with a 422 naming the field', async () => {
    for (const url of [
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/hook',
    ]) {
      const refused = await call('POST', '/v1/jobs/test.sleep', keys.jobs, {
        input: { ms: 1 },
        webhook: { url },
      });
      expect(refused.status, url).toBe(422);
      expect(refused.body.error.code).toBe('WEBHOOK_URL_FORBIDDEN');
      expect(refused.body.error.details.issues[0].path).toEqual(['webhook', 'url']);
    }
    const badUrl = await call('POST', '/v1/jobs/test.sleep', keys.jobs, {
      input: { ms: 1 },
      webhook: { url: 'file:///etc/passwd' },
    });
    expect(badUrl.body.error.details.issues[0].path).toEqual(['webhook', 'url']);
  });

  it('refuses at delivery a name that resolves to loopback, without retrying', async () => {
    const before = hits.length;
    const submitted = await call('POST', '/v1/jobs/test.sleep', keys.jobs, {
      input: { ms: 10 },
      webhook: { url: `${hookBase.replace('127.0.0.1', 'localhost')}/hook` },
    });
    expect(submitted.status).toBe(202);
    const [log] = await until(
      () => deliveries(submitted.body.id as string),
      (data) => data[0]?.status === 'failed',
    );
    expect(log?.attempts).toHaveLength(1);
    expect(log?.attempts[0]?.error?.code).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(hits.length).toBe(before);
  });

  it('needs the tenant’s secret before it takes a webhook', async () => {
    const refused = await call('POST', '/v1/jobs/test.sleep', keys.nosecret, {
      input: { ms: 1 },
      webhook: { url: `${hookBase}/hook` },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WEBHOOK_SECRET_MISSING');
  });
});

describe('e-mail reports (real SMTP server)', () => {
  it('refuses addresses that are not e-mail addresses, or too many, naming the field', async () => {
    for (const to of ['not-an-address', Array.from({ length: 11 }, (_, i) => `u${i}@example.test`)]) {
      const refused = await call('POST', '/v1/jobs/test.sleep', keys.jobs, {
        input: { ms: 1 },
        email: { to },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.details.issues[0].path.slice(0, 2)).toEqual(['email', 'to']);
    }
  });

  it('sends a readable report, HTML and text, with a link to the job', async () => {
    const submitted = await call('POST', '/v1/jobs/test.sleep', keys.jobs, {
      input: { ms: 10 },
      email: { to: 'ops@example.test' },
    });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.id as string;
    await until(
      async () => mails.length,
      (count) => count > 0,
      20_000,
    );
    const mail = mails[0] as ParsedMail;
    expect(mail.subject).toBe(`Gantry: test.sleep succeeded (${jobId.slice(0, 8)})`);
    expect(mail.from?.value).toEqual([{ name: 'Gantry', address: 'gantry@example.test' }]);
    expect(mail.to).toMatchObject({ text: 'ops@example.test' });
    const link = `https://gantry.example.test/v1/jobs/${jobId}`;
    expect(mail.text).toContain('Your test.sleep job is succeeded.');
    expect(mail.text).toContain(`The whole job: ${link}`);
    expect(mail.text).toMatch(/"slept_ms": \d+/);
    expect(mail.html).toContain(`<a href="${link}">`);
    const [log] = await until(
      () => deliveries(jobId, 'email'),
      (data) => data[0]?.status === 'delivered',
    );
    expect(log?.event).toBe('job.succeeded');
  }, 30_000);
});

describe('a pipeline run’s notifications', () => {
  it('notifies once for the run, on its final status, and never for its steps', async () => {
    const secret = (await call('POST', '/v1/webhook-secret', keys.admin)).body.secret as string;
    const submitted = await call('POST', '/v1/pipelines', keys.jobs, {
      input: { ms: 10 },
      pipeline: {
        steps: [
          { id: 'a', type: 'test.sleep', input: { ms: '$input.ms' } },
          { id: 'b', type: 'test.sleep', input: { ms: '$steps.a.output.slept_ms' } },
        ],
      },
      webhook: { url: `${hookBase}/pipeline` },
      email: { to: 'runs@example.test' },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    expect(submitted.body).toMatchObject({
      webhook: {
        url: `${hookBase}/pipeline`,
        events: ['succeeded', 'failed', 'canceled', 'timed_out', 'expired'],
      },
      email: { to: ['runs@example.test'] },
    });
    const runId = submitted.body.id as string;
    const [log] = await until(
      () => deliveries(runId),
      (data) => data[0]?.status === 'delivered',
      20_000,
    );
    expect(log?.event).toBe('job.succeeded');
    const [hit] = hitsOn('/pipeline');
    expect(new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>)).toMatchObject(
      { type: 'job.succeeded', data: { id: runId, type: 'pipeline', status: 'succeeded' } },
    );
    await until(
      () => deliveries(runId, 'email'),
      (data) => data[0]?.status === 'delivered',
    );
    const mail = mails.find((one) => JSON.stringify(one.to).includes('runs@example.test'));
    expect(mail?.subject).toBe(`Gantry: pipeline succeeded (${runId.slice(0, 8)})`);
    expect(await deliveries(`${runId}.a`)).toEqual([]);
    expect(await deliveries(`${runId}.b`)).toEqual([]);
    expect(hitsOn('/pipeline')).toHaveLength(1);
  }, 30_000);

  it('refuses a literal private address for a run’s webhook with a 422 naming the field', async () => {
    const refused = await call('POST', '/v1/pipelines', keys.jobs, {
      input: { ms: 1 },
      pipeline: { steps: [{ id: 'a', type: 'test.sleep', input: { ms: '$input.ms' } }] },
      webhook: { url: 'http://169.254.169.254/latest/meta-data' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(refused.body.error.details.issues[0].path).toEqual(['webhook', 'url']);
  });
});

describe('a batch’s and a schedule’s notifications', () => {
  it('notifies once for the batch, on its final status, never for its items', async () => {
    const secret = (await call('POST', '/v1/webhook-secret', keys.admin)).body.secret as string;
    const submitted = await call('POST', '/v1/batches', keys.jobs, {
      type: 'test.sleep',
      items: [{ ms: 1 }, { ms: 2 }, { ms: 3 }],
      webhook: { url: `${hookBase}/batch` },
      email: { to: 'batches@example.test' },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    expect(submitted.body).toMatchObject({
      webhook: {
        url: `${hookBase}/batch`,
        events: ['succeeded', 'failed', 'canceled', 'timed_out', 'expired'],
      },
      email: { to: ['batches@example.test'] },
    });
    const batchId = submitted.body.id as string;
    const [log] = await until(
      () => deliveries(batchId),
      (data) => data[0]?.status === 'delivered',
      20_000,
    );
    expect(log?.event).toBe('job.succeeded');
    const [hit] = hitsOn('/batch');
    expect(new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>)).toMatchObject(
      {
        type: 'job.succeeded',
        data: { id: batchId, type: 'batch', status: 'succeeded', output: { total: 3 } },
      },
    );
    await until(
      () => deliveries(batchId, 'email'),
      (data) => data[0]?.status === 'delivered',
    );
    expect(mails.some((one) => JSON.stringify(one.to).includes('batches@example.test'))).toBe(true);
    expect(await deliveries(`${batchId}.0`)).toEqual([]);
    expect(hitsOn('/batch')).toHaveLength(1);
  }, 30_000);

  it('takes a JSONL batch’s webhook as ?webhook=, refusing a literal private address naming the field', async () => {
    const jsonl = (query: string) =>
      fetch(`${harness.gateway.url}/v1/batches?type=test.sleep&${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.jobs}`, 'content-type': 'application/x-ndjson' },
        body: '{"ms":1}\n{"ms":2}\n',
      });
    const refused = await jsonl(`webhook=${encodeURIComponent('http://10.0.0.1/hook')}`);
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as {
      error: { code: string; details: { issues: { path: unknown }[] } };
    };
    expect(body.error.code).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(body.error.details.issues[0]?.path).toEqual(['webhook', 'url']);
    expect((await jsonl('webhook=not-a-url')).status).toBe(422);
    const accepted = await jsonl(`webhook=${encodeURIComponent(`${hookBase}/jsonl`)}`);
    expect(accepted.status).toBe(202);
    const batchId = ((await accepted.json()) as { id: string }).id;
    await until(
      () => deliveries(batchId),
      (data) => data[0]?.status === 'delivered',
      20_000,
    );
    expect(hitsOn('/jsonl')).toHaveLength(1);
  }, 30_000);

  it('notifies on each run of a schedule that runs a pipeline', async () => {
    const secret = (await call('POST', '/v1/webhook-secret', keys.admin)).body.secret as string;
    const created = await call('POST', '/v1/schedules', keys.jobs, {
      every: 60,
      target: {
        pipeline: { steps: [{ id: 'a', type: 'test.sleep', input: { ms: '$input.ms' } }] },
        input: { ms: 1 },
        webhook: { url: `${hookBase}/schedule` },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const schedule = await until(
      async () => (await call('GET', `/v1/schedules/${created.body.id as string}`, keys.jobs)).body,
      (body) => typeof body.last_job_id === 'string',
    );
    const runId = schedule.last_job_id as string;
    await until(
      () => deliveries(runId),
      (data) => data[0]?.status === 'delivered',
      20_000,
    );
    const [hit] = hitsOn('/schedule');
    expect(new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>)).toMatchObject(
      { type: 'job.succeeded', data: { id: runId, type: 'pipeline', status: 'succeeded' } },
    );
    const deleted = await fetch(`${harness.gateway.url}/v1/schedules/${created.body.id as string}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${keys.jobs}` },
    });
    expect(deleted.status).toBe(204);
  }, 30_000);
});

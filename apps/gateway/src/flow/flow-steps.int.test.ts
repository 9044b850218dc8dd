import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { until } from '../testing/until.js';

// Real Redis, PostgreSQL, the runtime's test worker, the gateway's own `flow` worker (event loop), a real
// webhook receiver and a real SMTP server: flow.store and flow.notify as pipeline steps.
let harness: GatewayHarness;
let receiver: Server;
let smtp: SMTPServer;
const mails: ParsedMail[] = [];
let hookBase = '';
const keys = { admin: '', jobs: '', nosecret: '' };
const hits: { headers: IncomingHttpHeaders; body: string }[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { status: number; body: any };
const call = async (method: string, route: string, body?: unknown, key = keys.jobs): Promise<Reply> => {
  const response = await fetch(`${harness.gateway.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
};
const finished = (id: string, key = keys.jobs) =>
  until(
    async () => (await call('GET', `/v1/pipeline-runs/${id}`, undefined, key)).body,
    (run) => !['queued', 'running', 'retrying'].includes(run.status as string),
    20_000,
  );

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      hits.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
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
  harness = await startGatewayHarness({
    name: 'flow',
    env: {
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String((smtp.server.address() as AddressInfo).port),
      SMTP_FROM: 'Gantry <gantry@example.test>',
      GANTRY_PUBLIC_URL: 'https://gantry.example.test',
    },
    worker: { heartbeatMs: 300 },
  });
  keys.admin = await harness.key({ tenant: 'acme', name: 'ops', scopes: ['jobs', 'admin'] });
  keys.jobs = await harness.key({ tenant: 'acme', name: 'backend', scopes: ['jobs'] });
  keys.nosecret = await harness.key({ tenant: 'nosecret', name: 'backend', scopes: ['jobs'] });
  await until(
    async () => (await call('GET', '/v1/job-types')).body as { data: { type: string }[] },
    (body) => body.data.some((entry) => entry.type === 'test.sleep'),
  );
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await new Promise<void>((resolve) => smtp?.close(resolve));
});

describe('flow steps in a pipeline (real gateway, workers and receiver)', () => {
  it('stores a step output as a blob and sends it in a signed webhook, as steps of the run', async () => {
    const created = await fetch(`${harness.gateway.url}/v1/webhook-secret`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.admin}` },
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };

    const accepted = await call('POST', '/v1/pipelines', {
      input: { ms: 15, hook: `${hookBase}/done` },
      pipeline: {
        steps: [
          { id: 'work', type: 'test.sleep', input: { ms: '$input.ms' } },
          { id: 'store', type: 'flow.store', input: { data: '$steps.work.output', filename: 'work.json' } },
          {
            id: 'notify',
            type: 'flow.notify',
            input: { url: '$input.hook', data: '$steps.store.output.blob' },
          },
        ],
        output: { blob: '$steps.store.output.blob', notification: '$steps.notify.output.notification_id' },
      },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const run = await finished(accepted.body.id as string);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.steps.map((step: { status: string }) => step.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);

    const blob = run.output.blob as { blob_id: string; filename: string; media_type: string };
    expect(blob.filename).toBe('work.json');
    expect(blob.media_type).toBe('application/json');
    const stored = await fetch(`${harness.gateway.url}/v1/blobs/${blob.blob_id}`, {
      headers: { authorization: `Bearer ${keys.jobs}` },
    });
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ slept_ms: 15 });

    const [hit] = await until(
      async () => hits,
      (found) => found.length > 0,
      20_000,
    );
    const verified = new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>);
    expect(verified).toMatchObject({ type: 'flow.notify', data: { blob_id: blob.blob_id } });
    expect(hit?.headers['webhook-id']).toBe(run.output.notification);
    const notifyJob = run.steps[2].jobs[0].id as string;
    const deliveries = await until(
      async () => (await call('GET', `/v1/jobs/${notifyJob}/webhook-deliveries`)).body.data,
      (data: { status: string }[]) => data[0]?.status === 'delivered',
    );
    expect(deliveries).toHaveLength(1);
  });

  it('fails the run with the step’s error when flow.notify is refused (a metadata address)', async () => {
    const accepted = await call('POST', '/v1/pipelines', {
      input: {},
      pipeline: {
        steps: [
          { id: 'notify', type: 'flow.notify', input: { url: 'http://169.254.169.254/latest', data: 1 } },
        ],
      },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const run = await finished(accepted.body.id as string);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN' });
    expect(run.steps[0]).toMatchObject({ status: 'failed', error: { code: 'WEBHOOK_URL_FORBIDDEN' } });
  });

  it('fails the run with WEBHOOK_SECRET_MISSING when the tenant has no signing secret', async () => {
    const pipeline = {
      steps: [{ id: 'notify', type: 'flow.notify', input: { url: `${hookBase}/x`, data: 1 } }],
    };
    const accepted = await call('POST', '/v1/pipelines', { input: {}, pipeline }, keys.nosecret);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const run = await finished(accepted.body.id as string, keys.nosecret);
    expect(run).toMatchObject({ status: 'failed', error: { code: 'WEBHOOK_SECRET_MISSING' } });
  });

  it('sends a webhook and an e-mail from one step, each in the delivery log of the step job', async () => {
    const secret = (await call('POST', '/v1/webhook-secret', undefined, keys.admin)).body.secret as string;
    const accepted = await call('POST', '/v1/pipelines', {
      input: { ms: 5, hook: `${hookBase}/both`, to: 'flow@example.test' },
      pipeline: {
        steps: [
          { id: 'work', type: 'test.sleep', input: { ms: '$input.ms' } },
          {
            id: 'notify',
            type: 'flow.notify',
            input: {
              webhook: { url: '$input.hook' },
              email: { to: '$input.to', subject: 'Work done' },
              data: { summary: 'The work is done.', run: '$run.id', slept: '$steps.work.output.slept_ms' },
            },
          },
        ],
      },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const id = accepted.body.id as string;
    const run = await finished(id);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    const stepJob = `${id}.notify`;
    expect(run.steps[1].jobs[0].id).toBe(stepJob);
    const ids = run.steps[1].output as { notification_id: string; email_notification_id: string };

    const [hit] = await until(
      async () => hits.filter((one) => one.headers['webhook-id'] === ids.notification_id),
      (found) => found.length > 0,
      20_000,
    );
    const verified = new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>);
    expect(verified).toMatchObject({
      type: 'flow.notify',
      data: { summary: 'The work is done.', run: id, slept: 5 },
    });

    const mail = await until(
      async () => mails.find((one) => JSON.stringify(one.to).includes('flow@example.test')),
      (found) => found !== undefined,
      20_000,
    );
    expect(mail?.subject).toBe('Work done');
    expect(mail?.from?.value).toEqual([{ name: 'Gantry', address: 'gantry@example.test' }]);
    const link = `https://gantry.example.test/v1/jobs/${stepJob}`;
    expect(mail?.text).toContain('The work is done.');
    expect(mail?.text).toContain(link);
    expect(mail?.html).toContain(`<a href="${link}">`);

    for (const channel of ['webhook', 'email']) {
      const log = await until(
        async () => (await call('GET', `/v1/jobs/${stepJob}/${channel}-deliveries`)).body.data,
        (data: { status: string }[]) => data[0]?.status === 'delivered',
      );
      expect(log).toEqual([expect.objectContaining({ event: 'flow.notify', status: 'delivered' })]);
    }
    // The run itself asked for nothing: only the step's own messages exist.
    expect((await call('GET', `/v1/jobs/${id}/email-deliveries`)).body.data).toEqual([]);
  }, 30_000);

  it('sends nothing, and succeeds, when no target is mapped (an optional one left out of the input)', async () => {
    const accepted = await call('POST', '/v1/pipelines', {
      input: {},
      pipeline: {
        steps: [
          {
            id: 'notify',
            type: 'flow.notify',
            input: { webhook: '$input.webhook', email: '$input.email', data: 1 },
          },
        ],
      },
    });
    const run = await finished(accepted.body.id as string);
    expect(run).toMatchObject({ status: 'succeeded', steps: [{ status: 'succeeded', output: {} }] });
  });

  it('refuses a private webhook address, naming webhook.url, before anything is sent', async () => {
    const accepted = await call('POST', '/v1/pipelines', {
      input: {},
      pipeline: {
        steps: [
          {
            id: 'notify',
            type: 'flow.notify',
            input: { webhook: { url: 'http://10.1.2.3/hook' }, email: { to: 'x@example.test' }, data: 1 },
          },
        ],
      },
    });
    const run = await finished(accepted.body.id as string);
    expect(run).toMatchObject({ status: 'failed', error: { code: 'WEBHOOK_URL_FORBIDDEN' } });
    expect(run.error.details.issues[0].path).toEqual(['input', 'webhook', 'url']);
    const stepJob = run.steps[0].jobs[0].id as string;
    expect((await call('GET', `/v1/jobs/${stepJob}/email-deliveries`)).body.data).toEqual([]);
  });

  it('refuses a literal target of the wrong shape at once: url and webhook both, events, a bad address', async () => {
    const inputs = [
      { url: `${hookBase}/a`, webhook: { url: `${hookBase}/b` }, data: 1 },
      { webhook: { url: `${hookBase}/a`, events: ['failed'] }, data: 1 },
      { email: { to: 'not-an-address' }, data: 1 },
    ];
    for (const input of inputs) {
      const refused = await call('POST', '/v1/pipelines', {
        input: {},
        pipeline: { steps: [{ id: 'notify', type: 'flow.notify', input }] },
      });
      expect([refused.status, refused.body.error.code], JSON.stringify(input)).toEqual([
        422,
        'VALIDATION_FAILED',
      ]);
      expect(refused.body.error.details.issues[0].path.slice(0, 4)).toEqual([
        'pipeline',
        'steps',
        0,
        'input',
      ]);
    }
  });

  it('refuses a target of the wrong shape that the run input brings, or fails the run where a later step maps it', async () => {
    const target = { url: `${hookBase}/a`, events: ['failed'] };
    const refused = await call('POST', '/v1/pipelines', {
      input: { target },
      pipeline: {
        steps: [{ id: 'notify', type: 'flow.notify', input: { webhook: '$input.target', data: 1 } }],
      },
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'PIPELINE_STEP_INPUT_INVALID']);
    const accepted = await call('POST', '/v1/pipelines', {
      input: { target },
      pipeline: {
        steps: [
          { id: 'work', type: 'test.sleep', input: { ms: 5 } },
          {
            id: 'notify',
            type: 'flow.notify',
            input: { webhook: '$input.target', data: '$steps.work.output' },
          },
        ],
      },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(await finished(accepted.body.id as string)).toMatchObject({
      status: 'failed',
      error: { code: 'PIPELINE_STEP_INPUT_INVALID', details: { step: 'notify' } },
    });
  });

  it('tells a success once, from the step, when the pipeline declares reports_success', async () => {
    const secret = (await call('POST', '/v1/webhook-secret', undefined, keys.admin)).body.secret as string;
    const accepted = await call('POST', '/v1/pipelines', {
      input: { ms: 5 },
      pipeline: {
        reports_success: true,
        steps: [
          { id: 'work', type: 'test.sleep', input: { ms: '$input.ms' } },
          {
            id: 'notify',
            type: 'flow.notify',
            input: { webhook: '$input.webhook', data: { run: '$run.id', work: '$steps.work.output' } },
          },
        ],
      },
      webhook: { url: `${hookBase}/once` },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const id = accepted.body.id as string;
    expect(accepted.body.input).toEqual({ ms: 5, webhook: { url: `${hookBase}/once` } });
    expect(accepted.body.webhook.events).toEqual(['failed', 'canceled', 'timed_out', 'expired']);
    const run = await finished(id);
    expect(run.status).toBe('succeeded');
    const [hit] = await until(
      async () => hits.filter((one) => one.headers['webhook-id'] === run.steps[1].output.notification_id),
      (found) => found.length > 0,
      20_000,
    );
    const verified = new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>);
    expect(verified).toMatchObject({ type: 'flow.notify', data: { run: id, work: { slept_ms: 5 } } });
    // The run was recorded succeeded (its own notification, had it asked for success, would be queued by now).
    await until(
      async () => (await call('GET', `/v1/jobs/${id}/history`)).body.data as { status: string }[],
      (history) => history.some((entry) => entry.status === 'succeeded'),
    );
    expect((await call('GET', `/v1/jobs/${id}/webhook-deliveries`)).body.data).toEqual([]);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Delivery, GantryClient, InvalidRequestError, NotFoundError } from '@gantry/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStack } from '../engines/engine-stack.js';
import { startClientStack } from './client-stack.js';

// The SDK's schedules and delivery logs on a running stack: the real gateway (its scheduler, its
// notification queue) and the runtime's test worker; a webhook receiver started here, on 127.0.0.1,
// which the gateway reaches only because WEBHOOK_ALLOWED_HOSTS names it.
let stack: EngineStack;
let gantry: GantryClient;
let receiver: Server;
let hookBase = '';
const hits: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push(req.url ?? '');
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  stack = await startClientStack('sdk-schedules', {
    llm: false,
    gatewayEnv: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
  });
  gantry = new GantryClient({ url: stack.gateway.url, apiKey: stack.key });
  expect((await gantry.rotateWebhookSecret()).secret).toMatch(/^whsec_/);
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Polls until `read` answers something `done` accepts: a wait, not a speed target (two shared cores). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (const started = Date.now(); Date.now() - started < 45_000; ) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen in 45 s`);
}

describe('@gantry/client schedules on a running stack', () => {
  it('creates a schedule that runs, lists, pauses, resumes and deletes it', async () => {
    const created = await gantry.createSchedule({
      name: 'sdk every second',
      every: 1,
      target: { type: 'test.sleep', input: { ms: 1 } },
    });
    expect(created).toMatchObject({
      name: 'sdk every second',
      every: 1,
      cron: null,
      timezone: 'UTC',
      misfire: 'run_once',
      paused: false,
      urls: { get: `/v1/schedules/${created.id}` },
    });
    expect(created.next_run_at).not.toBeNull();
    expect((await gantry.listSchedules()).map((schedule) => schedule.id)).toContain(created.id);

    const ticked = await until(
      () => gantry.getSchedule(created.id),
      (schedule) => schedule.last_job_id !== null,
      'a first tick',
    );
    expect((await gantry.get(ticked.last_job_id as string)).type).toBe('test.sleep');

    const paused = await gantry.pauseSchedule(created.id);
    expect(paused).toMatchObject({ paused: true, next_run_at: null });
    const resumed = await gantry.resumeSchedule(created.id);
    expect(resumed.paused).toBe(false);
    expect(resumed.next_run_at).not.toBeNull();

    await gantry.deleteSchedule(created.id);
    await expect(gantry.getSchedule(created.id)).rejects.toMatchObject({
      constructor: NotFoundError,
      code: 'SCHEDULE_NOT_FOUND',
    });
    await expect(gantry.deleteSchedule(created.id)).rejects.toMatchObject({ code: 'SCHEDULE_NOT_FOUND' });
  }, 90_000);

  it('refuses a schedule with both cron and every, and a cron that does not parse', async () => {
    const target = { type: 'test.sleep', input: { ms: 1 } };
    await expect(gantry.createSchedule({ cron: '* * * * *', every: 60, target })).rejects.toMatchObject({
      constructor: InvalidRequestError,
      code: 'VALIDATION_FAILED',
    });
    await expect(gantry.createSchedule({ cron: 'not a cron', target })).rejects.toMatchObject({
      constructor: InvalidRequestError,
      code: 'VALIDATION_FAILED',
    });
  });

  it('uploads a file once and runs it on a schedule by its blob_id; an unknown id is NotFoundError', async () => {
    const text = 'one upload, many runs\n';
    const blob = await gantry.uploadBlob(new Blob([text]), 'notes.txt');
    expect(blob).toMatchObject({ media_type: 'text/plain', size: text.length, filename: 'notes.txt' });
    const target = (blobId: string) => ({ type: 'test.checksum', input: { file: { blob_id: blobId } } });
    await expect(
      gantry.createSchedule({ every: 60, target: target('blob_00000000-0000-0000-0000-000000000000') }),
    ).rejects.toMatchObject({ constructor: NotFoundError, code: 'BLOB_NOT_FOUND' });

    const created = await gantry.createSchedule({ every: 60, target: target(blob.blob_id) });
    const ticked = await until(
      () => gantry.getSchedule(created.id),
      (schedule) => schedule.last_job_id !== null,
      'a first tick',
    );
    const job = await until(
      () => gantry.get(ticked.last_job_id as string),
      (read) => read.status === 'succeeded',
      'the tick’s job',
    );
    expect(job.output).toEqual({ sha256: blob.sha256, size: blob.size });
    await gantry.deleteSchedule(created.id);
  }, 90_000);
});

describe('@gantry/client delivery logs on a running stack', () => {
  it("reads a job's webhook deliveries and redelivers one", async () => {
    const job = await gantry.run('test.sleep', { ms: 1 }, { webhook: { url: `${hookBase}/job` } });
    const [delivery] = await until(
      () => gantry.deliveries(job.id, 'webhook'),
      (log: Delivery[]) => log[0]?.status === 'delivered',
      'a webhook delivery',
    );
    expect(delivery).toMatchObject({ event: 'job.succeeded', url: `${hookBase}/job`, status: 'delivered' });
    expect(delivery?.attempts[0]).toMatchObject({ status_code: 204, error: null });
    expect(await gantry.deliveries(job.id, 'email')).toEqual([]);

    const reopened = await gantry.redeliver(job.id, 'webhook', delivery?.id as string);
    expect(reopened.id).toBe(delivery?.id);
    await until(
      () => gantry.deliveries(job.id, 'webhook'),
      (log: Delivery[]) => (log[0]?.attempts.length ?? 0) >= 2,
      'a redelivery',
    );
    expect(hits.filter((hit) => hit === '/job').length).toBeGreaterThanOrEqual(2);
    await expect(gantry.redeliver(job.id, 'webhook', 'ntf_nope')).rejects.toMatchObject({
      constructor: NotFoundError,
      code: 'NOTIFICATION_NOT_FOUND',
    });
  }, 90_000);

  it("notifies a batch's webhook, sent beside items and as ?webhook= of a JSONL upload", async () => {
    const json = await gantry.submitBatch({
      type: 'test.sleep',
      items: [{ ms: 1 }],
      webhook: { url: `${hookBase}/batch-json` },
    });
    expect(json.webhook).toMatchObject({ url: `${hookBase}/batch-json` });
    const jsonl = await gantry.submitBatch({
      type: 'test.sleep',
      jsonl: new Blob(['{"ms":1}\n'], { type: 'application/x-ndjson' }),
      webhook: `${hookBase}/batch-jsonl`,
    });
    expect(jsonl.webhook).toMatchObject({ url: `${hookBase}/batch-jsonl` });
    await until(
      async () => hits,
      (seen) => seen.includes('/batch-json') && seen.includes('/batch-jsonl'),
      "both batches' webhooks",
    );
  }, 90_000);
});

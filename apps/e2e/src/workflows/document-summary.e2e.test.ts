import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LlmSummarizeOutput, OcrExtractOutput, PipelineRunObject } from '@gantry/contracts';
import { mixedPdf, pageImage, textPdf } from '@gantry/ocr-worker/testing';
import { characterErrorRate } from '@gantry/ocr-worker/testing';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from '../engines/engine-stack.js';
import type { Job } from '../engines/gantry-client.js';
import { waitUntil } from '../harness/wait-until.js';

// The flagship flow on real things only: the gateway over HTTP with its pipeline orchestrator, recorder
// and notification delivery; the ocr worker (pdf.js, tesseract.js) and the llm worker (local TextRank
// summariser) at one engine process each; a webhook receiver and an SMTP server started here. The
// receiver listens on 127.0.0.1, which the gateway reaches only because WEBHOOK_ALLOWED_HOSTS names it.
const sentences = [
  'The harbour depot in Leeds opened in September.',
  'The depot has forty loading bays for trucks.',
  'Drivers book their loading slots online the day before.',
  'Online booking cut the waiting times at the depot by half.',
  'The weather was mild for most of the autumn.',
  'Next year the depot adds ten more loading bays for trucks.',
];
const documentText = sentences.join('\n');

let stack: EngineStack;
let receiver: Server;
let smtp: SMTPServer;
let hookBase = '';
let secret = '';
const hits: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
const mails: ParsedMail[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(204).end();
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
  stack = await startEngineStack(
    'docsummary',
    [
      { module: workerModule('ocr'), app: 'ocr', concurrency: 1 },
      { module: workerModule('llm'), app: 'llm', concurrency: 1, env: { LLM_PROVIDER: 'local' } },
    ],
    ['jobs', 'admin'],
    {
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String((smtp.server.address() as AddressInfo).port),
      SMTP_FROM: 'Gantry <gantry@example.test>',
      GANTRY_PUBLIC_URL: 'https://gantry.example.test',
    },
  );
  const created = await stack.client.request<{ secret: string }>('/v1/webhook-secret', { method: 'POST' });
  expect(created.status).toBe(201);
  secret = created.body.secret;
}, 150_000);

afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await new Promise<void>((resolve) => smtp?.close(resolve));
});

/**
 * `POST /v1/pipelines/document-summary` as a browser form would: the PDF, a webhook and an e-mail; pinned
 * to a version, as a caller that must not move does.
 */
async function submit(pdf: Uint8Array, label: string, version: 1 | 2) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), `${label}.pdf`);
  form.set('webhook', JSON.stringify({ url: `${hookBase}/${label}` }));
  form.set('email', JSON.stringify({ to: `${label}@example.test` }));
  const started = performance.now();
  const reply = await stack.client.request<PipelineRunObject>(
    `/v1/pipelines/document-summary?version=${version}`,
    {
      method: 'POST',
      body: form,
    },
  );
  return { reply, ms: performance.now() - started };
}

/** Runs version 1 on the PDF and checks what every flagship run must hold; answers the run. */
async function summarise(pdf: Uint8Array, label: string) {
  const { reply, ms } = await submit(pdf, label, 1);
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  // At once: the answer comes before any step has run.
  expect(ms).toBeLessThan(2_000);
  expect(['queued', 'running']).toContain(reply.body.status);
  expect(reply.body.pipeline).toEqual({ name: 'document-summary', version: 1 });
  const id = reply.body.id;

  const run = await waitUntil(
    async () => (await stack.client.request<PipelineRunObject>(`/v1/pipeline-runs/${id}`)).body,
    (value) => !['queued', 'running', 'retrying'].includes(value.status),
    { what: `the ${label} run to end`, timeoutMs: 45_000, intervalMs: 200 },
  );
  expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
  expect(run.steps.map((step) => [step.id, step.type, step.status, step.jobs.length])).toEqual([
    ['ocr', 'ocr.extract', 'succeeded', 1],
    ['summarize', 'llm.summarize', 'succeeded', 1],
  ]);
  const ocr = run.steps[0]?.output as OcrExtractOutput;
  const summary = run.steps[1]?.output as LlmSummarizeOutput;
  const output = run.output as { text: string; summary: string };
  expect(output).toEqual({ text: ocr.text, summary: summary.summary });
  // Extractive: each sentence of the summary is the document's text at the offsets it names (its line
  // breaks read as spaces).
  expect(summary.sentences.length).toBeGreaterThanOrEqual(1);
  for (const sentence of summary.sentences) {
    expect(output.text.slice(sentence.start, sentence.end).replace(/\s+/g, ' ')).toBe(sentence.text);
    expect(output.summary).toContain(sentence.text);
  }

  // Notified once for the run (not per step), on its final event: signed, verified independently. The
  // payload is the run as the recorder wrote it to PostgreSQL, so its summary there shows the result stored.
  const [hit] = await waitUntil(
    async () => hits.filter((one) => one.path === `/${label}`),
    (found) => found.length > 0,
    { what: `the ${label} webhook`, timeoutMs: 15_000 },
  );
  const payload = new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>);
  expect(payload).toMatchObject({
    type: 'job.succeeded',
    data: { id, type: 'pipeline', status: 'succeeded', output: { summary: output.summary } },
  });
  const mail = await waitUntil(
    async () => mails.find((one) => one.to && JSON.stringify(one.to).includes(`${label}@example.test`)),
    (found) => found !== undefined,
    { what: `the ${label} e-mail`, timeoutMs: 15_000 },
  );
  expect(mail?.subject).toBe(`Gantry: pipeline succeeded (${id.slice(0, 8)})`);
  expect(mail?.text).toContain(output.summary);
  expect(mail?.text).toContain(`https://gantry.example.test/v1/jobs/${id}`);
  const log = await stack.client.request<{ data: { event: string; status: string }[] }>(
    `/v1/jobs/${id}/webhook-deliveries`,
  );
  expect(log.body.data).toEqual([expect.objectContaining({ event: 'job.succeeded', status: 'delivered' })]);
  for (const step of ['ocr', 'summarize']) {
    const stepLog = await stack.client.request<{ data: unknown[] }>(
      `/v1/jobs/${id}.${step}/webhook-deliveries`,
    );
    expect(stepLog.body.data).toEqual([]);
  }
  expect(hits.filter((one) => one.path === `/${label}`)).toHaveLength(1);
  return { run, ocr };
}

describe('document-summary version 1 (pinned): a PDF in, its summary out, the user notified by the run', () => {
  it('summarises a text PDF from its text layer', async () => {
    const pdf = await textPdf([sentences.map((text, i) => ({ x: 72, y: 100 + 16 * i, text }))]);
    const { ocr } = await summarise(pdf, 'text-pdf');
    expect(ocr.pages.map((page) => page.source)).toEqual(['text_layer']);
    expect(ocr.text.trim()).toBe(documentText);
  }, 60_000);

  it('summarises a scanned PDF (one page image, no text layer) read by OCR', async () => {
    const scan = await pageImage(
      1_700,
      560,
      sentences.map((text, i) => ({ x: 60, y: 90 + 75 * i, text })),
    );
    const pdf = await mixedPdf([{ scan }]);
    const { ocr } = await summarise(pdf, 'scanned-pdf');
    expect(ocr.pages.map((page) => page.source)).toEqual(['ocr']);
    expect(characterErrorRate(ocr.text, documentText)).toBeLessThan(0.05);
  }, 60_000);

  it("summarises an ocr.extract job's text by reference: the client never copies the text", async () => {
    const pdf = await textPdf([sentences.map((text, i) => ({ x: 72, y: 100 + 16 * i, text }))]);
    const ocr = await stack.client.upload<Job<OcrExtractOutput>>(
      'ocr.extract',
      { bytes: pdf, filename: 'depot.pdf', contentType: 'application/pdf' },
      {},
      30,
    );
    expect(ocr.body.status, JSON.stringify(ocr.body)).toBe('succeeded');
    const reply = await stack.client.submit<Job<LlmSummarizeOutput>>(
      'llm.summarize',
      { source: { job_id: ocr.body.id }, length: { sentences: 2 } },
      30,
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const summary = reply.body.output as LlmSummarizeOutput;
    expect(summary).toMatchObject({ method: 'textrank', chunks: 1, language: 'en' });
    expect(summary.sentences).toHaveLength(2);
    for (const sentence of summary.sentences)
      expect(ocr.body.output?.text.slice(sentence.start, sentence.end).replace(/\s+/g, ' ')).toBe(
        sentence.text,
      );
  }, 60_000);
});

describe('document-summary version 2 (the default): stored and notified by steps of the run', () => {
  const pdf = () => textPdf([sentences.map((text, i) => ({ x: 72, y: 100 + 16 * i, text }))]);

  it('summarises a text PDF, stores the summary as a blob and tells the user from its notify step', async () => {
    const { reply } = await submit(await pdf(), 'v2-text-pdf', 2);
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    expect(reply.body.pipeline).toEqual({ name: 'document-summary', version: 2 });
    const id = reply.body.id;
    // The success goes to the step (the run's input carries its address); the run keeps the other statuses.
    expect(reply.body.input).toMatchObject({
      webhook: { url: `${hookBase}/v2-text-pdf` },
      email: { to: ['v2-text-pdf@example.test'] },
    });
    expect(reply.body.webhook?.events).toEqual(['failed', 'canceled', 'timed_out', 'expired']);
    expect(reply.body.email?.events).toEqual(['failed', 'canceled', 'timed_out', 'expired']);

    const run = await waitUntil(
      async () => (await stack.client.request<PipelineRunObject>(`/v1/pipeline-runs/${id}`)).body,
      (value) => !['queued', 'running', 'retrying'].includes(value.status),
      { what: 'the v2 run to end', timeoutMs: 45_000, intervalMs: 200 },
    );
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    expect(
      run.steps.map((step) => [step.id, step.type, step.status, step.jobs.map((job) => job.id)]),
    ).toEqual([
      ['ocr', 'ocr.extract', 'succeeded', [`${id}.ocr`]],
      ['summarize', 'llm.summarize', 'succeeded', [`${id}.summarize`]],
      ['store', 'flow.store', 'succeeded', [`${id}.store`]],
      ['notify', 'flow.notify', 'succeeded', [`${id}.notify`]],
    ]);
    const summary = run.steps[1]?.output as LlmSummarizeOutput;
    const output = run.output as {
      text: string;
      summary: string;
      stored: { blob_id: string; filename: string };
    };
    expect(output.text.trim()).toBe(documentText);
    expect(output.summary).toBe(summary.summary);
    expect(run.steps[2]?.output).toEqual({ blob: output.stored });

    // The summary is a blob of the tenant: the summarize step's output as JSON.
    expect(output.stored.filename).toBe('summary.json');
    const stored = await stack.client.request<LlmSummarizeOutput>(`/v1/blobs/${output.stored.blob_id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual(summary);

    // One signed webhook, from the notify step, verified independently; it names the run and the blob.
    const [hit] = await waitUntil(
      async () => hits.filter((one) => one.path === '/v2-text-pdf'),
      (found) => found.length > 0,
      { what: 'the v2 webhook', timeoutMs: 15_000 },
    );
    const payload = new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>);
    expect(payload).toEqual({
      type: 'flow.notify',
      timestamp: expect.any(String),
      data: { run_id: id, summary: output.summary, stored: output.stored },
    });
    const notify = run.steps[3]?.output as { notification_id: string; email_notification_id: string };
    expect(hit?.headers['webhook-id']).toBe(notify.notification_id);

    // One e-mail, from the same step: the summary readable, a link to the step job.
    const mail = await waitUntil(
      async () => mails.find((one) => JSON.stringify(one.to).includes('v2-text-pdf@example.test')),
      (found) => found !== undefined,
      { what: 'the v2 e-mail', timeoutMs: 15_000 },
    );
    expect(mail?.subject).toBe(`Gantry: result (${id.slice(0, 8)})`);
    expect(mail?.text).toContain(output.summary);
    expect(mail?.text).toContain(`https://gantry.example.test/v1/jobs/${id}.notify`);
    expect(mail?.html).toContain(`<a href="https://gantry.example.test/v1/jobs/${id}.notify">`);

    // Told once: the step's messages are in its log, the run sent none (it succeeded).
    for (const channel of ['webhook', 'email']) {
      const stepLog = await waitUntil(
        async () =>
          (
            await stack.client.request<{ data: { event: string; status: string }[] }>(
              `/v1/jobs/${id}.notify/${channel}-deliveries`,
            )
          ).body.data,
        (data) => data[0]?.status === 'delivered',
        { what: `the v2 ${channel} delivery`, timeoutMs: 15_000 },
      );
      expect(stepLog).toEqual([expect.objectContaining({ event: 'flow.notify', status: 'delivered' })]);
      const runLog = await stack.client.request<{ data: unknown[] }>(`/v1/jobs/${id}/${channel}-deliveries`);
      expect(runLog.body.data).toEqual([]);
    }
    expect(hits.filter((one) => one.path === '/v2-text-pdf')).toHaveLength(1);
    expect(mails.filter((one) => JSON.stringify(one.to).includes('v2-text-pdf@example.test'))).toHaveLength(
      1,
    );
  }, 60_000);

  it('reports a failed run from the run itself (a broken PDF): job.failed, no success from a step', async () => {
    const whole = await pdf();
    // A PDF header and then nothing a reader can use: accepted as a PDF, refused by the OCR step.
    const broken = new Uint8Array([...whole.slice(0, 16), ...new TextEncoder().encode('garbage'.repeat(40))]);
    const { reply } = await submit(broken, 'v2-broken-pdf', 2);
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const id = reply.body.id;
    const run = await waitUntil(
      async () => (await stack.client.request<PipelineRunObject>(`/v1/pipeline-runs/${id}`)).body,
      (value) => !['queued', 'running', 'retrying'].includes(value.status),
      { what: 'the broken v2 run to end', timeoutMs: 45_000, intervalMs: 200 },
    );
    expect(run.status).toBe('failed');
    expect(run.steps.map((step) => [step.id, step.status])).toEqual([
      ['ocr', 'failed'],
      ['summarize', 'skipped'],
      ['store', 'skipped'],
      ['notify', 'skipped'],
    ]);
    const [hit] = await waitUntil(
      async () => hits.filter((one) => one.path === '/v2-broken-pdf'),
      (found) => found.length > 0,
      { what: 'the failure webhook', timeoutMs: 15_000 },
    );
    const payload = new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: 'job.failed', data: { id, type: 'pipeline', status: 'failed' } });
    const mail = await waitUntil(
      async () => mails.find((one) => JSON.stringify(one.to).includes('v2-broken-pdf@example.test')),
      (found) => found !== undefined,
      { what: 'the failure e-mail', timeoutMs: 15_000 },
    );
    expect(mail?.subject).toBe(`Gantry: pipeline failed (${id.slice(0, 8)})`);
    expect(hits.filter((one) => one.path === '/v2-broken-pdf')).toHaveLength(1);
  }, 60_000);
});

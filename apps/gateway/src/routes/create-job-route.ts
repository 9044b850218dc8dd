import { hash } from 'node:crypto';
import type { BlobStore, StoredBlob } from '@gantry/blob-store';
import {
  CreateJobRequest,
  type EmailTarget,
  GantryError,
  isTerminal,
  type JobObject,
  toEmailTarget,
  toWebhookTarget,
  type WebhookTarget,
} from '@gantry/contracts';
import { toJobObject } from '@gantry/job-state';
import type { JobProducer } from '@gantry/queue-runtime';
import { type Request, type RequestHandler, type Response, type IRouter } from 'express';
import { resolveBlobRefs } from '../blobs/resolve-blob-refs.js';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import type { JobCatalogue } from '../catalogue/job-catalogue.js';
import { requireScope, tenantOf } from '../http/authenticate.js';
import { jsonBody } from '../http/json-body.js';
import { jsonTooLarge } from '../http/error-handler.js';
import { idempotencyKey } from '../http/idempotency-key.js';
import { admit } from '../http/limit-rate.js';
import { parseMultipart } from '../http/parse-multipart.js';
import { fillJobOutputs } from '../jobs/fill-job-outputs.js';
import type { JobEventsHub } from '../jobs/job-events-hub.js';
import type { JobReader } from '../jobs/job-reader.js';
import { jobFor } from '../jobs/worker-view.js';
import type { Hold, TenantHolds } from '../limits/tenant-holds.js';
import type { UploadQuota } from '../limits/upload-quota.js';
import type { InputCheck } from '../models/check-model-features.js';
import { checkNotify, type NotifyChecks } from '../notifications/check-notify.js';

export interface CreateJobDeps {
  catalogue: JobCatalogue;
  producer: JobProducer;
  blobs: BlobStore;
  reader: JobReader;
  hub: JobEventsHub;
  holds: TenantHolds;
  uploads: UploadQuota;
  /** Reads the job types live workers announce into the catalogue. */
  refreshCatalogue: () => Promise<void>;
  limits: { jsonBytes: number; fileBytes: number; maxWaitSeconds: number };
  /** What a job's `webhook` and `email` are checked against before it is accepted. */
  notify: NotifyChecks;
  /** Checks beyond the job type's schema: a scoring job's features against its model version's. */
  checkInput: InputCheck;
  /** Aborted when the gateway stops: a `Prefer: wait` then answers with the job as it is. */
  stopping: AbortSignal;
}

interface Parsed {
  input: Record<string, unknown>;
  priority: number | undefined;
  expiresIn: number | undefined;
  webhook: WebhookTarget | undefined;
  email: EmailTarget | undefined;
}

interface ParsedRequest extends Parsed {
  uploaded: StoredBlob | null;
}

/** `POST /v1/jobs/{type}`: validate, store, enqueue, answer 202 — the work happens elsewhere. */
export function createJobRoute(router: IRouter, deps: CreateJobDeps): void {
  const json = jsonBody(deps.limits.jsonBytes);

  // The rate limit's answer is awaited after the JSON body is read (it was asked for before): one round
  // trip overlapping another, not one more on the enqueue path. An upload waits for it before reading.
  const jobsScope = requireScope('jobs', { deferAdmission: true });
  router.post('/v1/jobs/:type', jobsScope, async (req: Request, res: Response) => {
    const key = idempotencyKey(req);
    const entry = await deps.catalogue.resolve(String(req.params['type']), deps.refreshCatalogue);
    if (!entry) {
      throw new GantryError('UNKNOWN_JOB_TYPE', `unknown job type "${req.params['type']}"`, {
        details: { known_types: deps.catalogue.list().map((e) => e.type) },
      });
    }
    const tenant = tenantOf(req);
    const parsed = await parseRequest(req, res, tenant, entry, deps, json);
    const waitSeconds = preferWait(req, deps.limits.maxWaitSeconds);
    let hold: Hold | null = null;
    try {
      await admit(req, res);
      await checkNotify(parsed, tenant, deps.notify);
      // Taken before the job is queued: a client refused here has no job to look for.
      if (waitSeconds > 0) hold = await deps.holds.acquire(tenant, 'wait_holds');
      const input = await fillJobOutputs(
        await resolveBlobRefs(parsed.input, {
          fields: entry.blobFields,
          tenant,
          blobs: deps.blobs,
          accepts: entry.accepts,
          type: entry.type,
          uploaded: parsed.uploaded,
          path: ['input'],
        }),
        entry,
        tenant,
        deps.reader,
      );
      const result = entry.validate(input);
      if (!result.ok) {
        throw new GantryError('VALIDATION_FAILED', `input does not match the "${entry.type}" schema`, {
          details: { issues: result.issues },
        });
      }
      const problem = await deps.checkInput(entry.type, result.value);
      if (problem)
        throw new GantryError('VALIDATION_FAILED', problem.message, { details: { issues: problem.issues } });
      const { record, created } = await deps.producer.submit({
        tenant,
        type: entry.type,
        queue: entry.queue,
        defaults: entry.defaults,
        input: result.value,
        ...(req.traceId ? { traceId: req.traceId } : {}),
        ...(parsed.priority === undefined ? {} : { priority: parsed.priority }),
        ...(parsed.expiresIn === undefined ? {} : { expiresInSeconds: parsed.expiresIn }),
        ...(parsed.webhook ? { webhook: parsed.webhook } : {}),
        ...(parsed.email ? { email: parsed.email } : {}),
        ...(key ? { idempotency: { key, bodyHash: bodyHash(entry.type, result.value, parsed) } } : {}),
      });
      if (!created && parsed.uploaded) await deps.blobs.delete(tenant, parsed.uploaded.blob_id);
      res.setHeader('Location', `/v1/jobs/${record.id}`);
      if (!created) res.setHeader('Idempotent-Replayed', 'true');
      const job = waitSeconds > 0 ? await waitForEnd(deps, tenant, record.id, waitSeconds) : null;
      if (job && isTerminal(job.status)) {
        res.setHeader('Preference-Applied', `wait=${waitSeconds}`);
        res.status(200).json(jobFor(req, job));
        return;
      }
      res.status(202).json(jobFor(req, job ?? toJobObject(record)));
    } catch (error) {
      if (parsed.uploaded && !(error instanceof GantryError && error.code === 'QUEUE_UNAVAILABLE')) {
        await deps.blobs.delete(tenant, parsed.uploaded.blob_id).catch(() => undefined);
      }
      throw error;
    } finally {
      hold?.release();
    }
  });
}

async function parseRequest(
  req: Request,
  res: Response,
  tenant: string,
  entry: CatalogueEntry,
  deps: CreateJobDeps,
  json: RequestHandler,
): Promise<ParsedRequest> {
  if (req.is('multipart/form-data')) {
    if (entry.blobFields.length === 0) {
      throw new GantryError('UNSUPPORTED_MEDIA_TYPE', `"${entry.type}" takes no file; send application/json`);
    }
    await admit(req, res);
    const parsed = await parseMultipart(
      req,
      tenant,
      deps.blobs,
      { fileBytes: deps.limits.fileBytes, fieldBytes: deps.limits.jsonBytes },
      deps.uploads,
    );
    let body: Parsed;
    try {
      // The same check as a JSON body's, so `priority` and `expires_in` mean the same whichever way they came.
      body = checkBody({
        input: parsed.input,
        ...(parsed.priority === undefined ? {} : { priority: parsed.priority }),
        ...(parsed.expiresIn === undefined ? {} : { expires_in: parsed.expiresIn }),
        ...(parsed.webhook === undefined ? {} : { webhook: parsed.webhook }),
        ...(parsed.email === undefined ? {} : { email: parsed.email }),
      });
    } catch (error) {
      if (parsed.blob) await deps.blobs.delete(tenant, parsed.blob.blob_id).catch(() => undefined);
      throw error;
    }
    const input = { ...body.input };
    if (parsed.blob)
      input[entry.blobFields.includes('file') ? 'file' : (entry.blobFields[0] as string)] = parsed.blob;
    return { ...body, input, uploaded: parsed.blob };
  }
  if (!req.is('application/json')) {
    throw new GantryError(
      'UNSUPPORTED_MEDIA_TYPE',
      'send application/json, or multipart/form-data with a "file" part',
      {
        details: { content_type: req.header('content-type') ?? null },
      },
    );
  }
  await new Promise<void>((resolve, reject) =>
    json(req, res, (error?: unknown) => (error ? reject(error) : resolve())),
  ).catch((error: unknown) => {
    throw withUploadHint(error, entry);
  });
  return { ...checkBody(req.body), uploaded: null };
}

/**
 * A JSON body over the limit, for a type that also takes its data as a file (a batch of series, a dataset):
 * the 413 says so, since the file's limit is far larger and the client may not know the type takes one.
 */
function withUploadHint(error: unknown, entry: CatalogueEntry): unknown {
  const { type, limit } = error as { type?: string; limit?: number };
  if (type !== 'entity.too.large' || entry.blobFields.length === 0) return error;
  return jsonTooLarge(
    limit,
    `"${entry.type}" also takes its data as an uploaded file: ` +
      'send multipart/form-data with a "file" part and the rest of the input as an "input" part',
  );
}

function checkBody(raw: unknown): Parsed {
  const body = CreateJobRequest.safeParse(raw);
  if (!body.success) {
    throw new GantryError(
      'VALIDATION_FAILED',
      'body must be { "input": {…}, "priority"?: 1-10, "expires_in"?: seconds, "webhook"?: { "url", "events"? }, "email"?: { "to", "events"? } }',
      {
        details: {
          issues: body.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
        },
      },
    );
  }
  const input = body.data.input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new GantryError('VALIDATION_FAILED', '"input" must be an object', {
      details: { issues: [{ path: ['input'], message: 'expected an object', code: 'invalid_type' }] },
    });
  }
  return {
    input: input as Record<string, unknown>,
    priority: body.data.priority,
    expiresIn: body.data.expires_in,
    webhook: body.data.webhook && toWebhookTarget(body.data.webhook),
    email: body.data.email && toEmailTarget(body.data.email),
  };
}

/**
 * Same key + same body ⇒ same job. Blobs count by content, so a retried upload matches. `expires_in` is
 * part of the body (left out when absent, so hashes of bodies without it are as they were).
 */
function bodyHash(type: string, input: unknown, parsed: Parsed): string {
  const { priority, expiresIn, webhook, email } = parsed;
  const canonical = JSON.stringify(
    {
      type,
      priority: priority ?? null,
      input,
      ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
      ...(webhook ? { webhook } : {}),
      ...(email ? { email } : {}),
    },
    (key, value: unknown) => (key === 'blob_id' ? undefined : value),
  );
  return hash('sha256', canonical);
}

/** `Prefer: wait=N` waits N seconds (at most `max`); a bare `Prefer: wait` (Replicate's form) waits `max`. */
function preferWait(req: Request, max: number): number {
  const match = /(?:^|[,;\s])wait(?:=(\d+))?(?=$|[,;\s])/.exec(req.header('prefer') ?? '');
  if (!match) return 0;
  return match[1] === undefined ? max : Math.min(Number(match[1]), max);
}

/** Resolves with the job once it ends, or as it is after `seconds`. */
async function waitForEnd(
  deps: CreateJobDeps,
  tenant: string,
  id: string,
  seconds: number,
): Promise<JobObject | null> {
  let wake: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (wake = resolve));
  const off = await deps.hub.on(id, (event) => {
    if (event.name === 'completed') wake();
  });
  const timer = setTimeout(wake, seconds * 1_000);
  deps.stopping.addEventListener('abort', wake, { once: true });
  if (deps.stopping.aborted) wake();
  try {
    const now = await deps.reader.get(tenant, id);
    if (now && isTerminal(now.status)) return now;
    await ended;
    return await deps.reader.get(tenant, id);
  } finally {
    clearTimeout(timer);
    deps.stopping.removeEventListener('abort', wake);
    off();
  }
}

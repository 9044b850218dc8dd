import type { BlobStore } from '@gantry/blob-store';
import {
  builtInPipelines,
  GantryError,
  RunAdHocPipelineRequest,
  RunPipelineRequest,
  toEmailTarget,
  toWebhookTarget,
} from '@gantry/contracts';
import { type IRouter, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { requireScope, tenantOf } from '../http/authenticate.js';
import { jsonBody } from '../http/json-body.js';
import { idempotencyKey } from '../http/idempotency-key.js';
import { parseMultipart } from '../http/parse-multipart.js';
import type { UploadQuota } from '../limits/upload-quota.js';
import { checkNotify, type NotifyChecks } from '../notifications/check-notify.js';
import { checkPipeline } from '../pipelines/check-pipeline.js';
import { findBuiltInPipeline } from '../pipelines/find-built-in-pipeline.js';
import { splitSuccessNotify } from '../pipelines/split-success-notify.js';
import type { PipelineRuns } from '../pipelines/pipeline-runs.js';

export interface PipelineRouteDeps {
  runs: PipelineRuns;
  blobs: BlobStore;
  uploads: UploadQuota;
  entryFor: (type: string) => Promise<CatalogueEntry | undefined>;
  limits: { jsonBytes: number; fileBytes: number };
  /** What a run's `webhook` and `email` are checked against before it is accepted. */
  notify: NotifyChecks;
}

/**
 * `POST /v1/pipelines/{name}` (a built-in definition), `POST /v1/pipelines` (an ad-hoc one),
 * `GET /v1/pipelines`, `GET /v1/pipeline-runs/{id}` and its cancel.
 */
export function pipelineRoutes(router: IRouter, deps: PipelineRouteDeps): void {
  const json = jsonBody(deps.limits.jsonBytes);
  const readJson = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) =>
      json(req, res, (error?: unknown) => (error ? reject(error) : resolve())),
    );

  router.get('/v1/pipelines', requireScope('jobs'), (_req: Request, res: Response) => {
    res.json({ data: builtInPipelines });
  });

  router.post('/v1/pipelines/:name', requireScope('jobs'), async (req: Request, res: Response) => {
    idempotencyKey(req);
    const name = String(req.params['name']);
    const version = versionQuery(req.query['version']);
    const definition = findBuiltInPipeline(name, version);
    const checked = await checkPipeline(definition, deps.entryFor, ['pipeline']);
    const tenant = tenantOf(req);
    if (!req.is('multipart/form-data')) {
      await readJson(req, res);
      await start(req, res, checked.definition, parseBody(RunPipelineRequest, req.body));
      return;
    }
    const parsed = await parseMultipart(
      req,
      tenant,
      deps.blobs,
      { fileBytes: deps.limits.fileBytes, fieldBytes: deps.limits.jsonBytes },
      deps.uploads,
    );
    // The upload is the run's only while the run keeps it: a refused request, or a replay that
    // answers with the run an earlier upload started, leaves nothing behind (as for a job's upload).
    const drop = async () => {
      if (parsed.blob) await deps.blobs.delete(tenant, parsed.blob.blob_id).catch(() => undefined);
    };
    try {
      const body = parseBody(RunPipelineRequest, {
        input: { ...parsed.input, ...(parsed.blob ? { file: { blob_id: parsed.blob.blob_id } } : {}) },
        ...(parsed.priority === undefined ? {} : { priority: parsed.priority }),
        ...(parsed.expiresIn === undefined ? {} : { expires_in: parsed.expiresIn }),
        ...(parsed.webhook === undefined ? {} : { webhook: parsed.webhook }),
        ...(parsed.email === undefined ? {} : { email: parsed.email }),
      });
      if (!(await start(req, res, checked.definition, body))) await drop();
    } catch (error) {
      // Redis away: the run may exist without its answer having come back, and it needs the file.
      if (!(error instanceof GantryError && error.code === 'QUEUE_UNAVAILABLE')) await drop();
      throw error;
    }
  });

  router.post('/v1/pipelines', requireScope('jobs'), async (req: Request, res: Response) => {
    idempotencyKey(req);
    await readJson(req, res);
    const raw = req.body as { pipeline?: unknown } | undefined;
    const checked = await checkPipeline(raw?.pipeline, deps.entryFor, ['pipeline']);
    const body = parseBody(RunAdHocPipelineRequest, req.body);
    await start(req, res, checked.definition, body);
  });

  const start = async (
    req: Request,
    res: Response,
    definition: RunAdHocPipelineRequest['pipeline'],
    body: RunPipelineRequest,
  ): Promise<boolean> => {
    const key = idempotencyKey(req);
    const tenant = tenantOf(req);
    const requested = {
      ...(body.webhook ? { webhook: toWebhookTarget(body.webhook) } : {}),
      ...(body.email ? { email: toEmailTarget(body.email) } : {}),
    };
    await checkNotify(requested, tenant, deps.notify);
    // The run's job carries its share, so the recorder notifies on the run's statuses, not each step's; a
    // pipeline that reports its success from a step gets that share in its input.
    const notify = definition.reports_success ? splitSuccessNotify(requested) : { run: requested, input: {} };
    const { run, created } = await deps.runs.start({
      tenant,
      definition,
      input: { ...body.input, ...notify.input },
      ...notify.run,
      ...(body.priority === undefined ? {} : { priority: body.priority }),
      ...(body.expires_in === undefined ? {} : { expiresIn: body.expires_in }),
      ...(req.traceId ? { traceId: req.traceId } : {}),
      ...(key ? { idempotencyKey: key } : {}),
    });
    res.setHeader('Location', run.urls.get);
    if (!created) res.setHeader('Idempotent-Replayed', 'true');
    res.status(202).json(run);
    return created;
  };

  router.get('/v1/pipeline-runs/:id', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const run = await deps.runs.get(tenantOf(req), id);
    if (!run) throw runNotFound(id);
    res.json(run);
  });

  router.post('/v1/pipeline-runs/:id/cancel', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const { canceled, run } = await deps.runs.cancel(tenantOf(req), id);
    if (!run) throw runNotFound(id);
    if (!canceled) {
      throw new GantryError('JOB_NOT_CANCELABLE', `pipeline run ${id} already ended (${run.status})`, {
        details: { status: run.status },
      });
    }
    res.status(202).json(run);
  });
}

/** `?version=`: one whole number of at least 1, or absent (the latest). */
function versionQuery(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && /^[1-9]\d{0,8}$/.test(raw)) return Number(raw);
  throw new GantryError('VALIDATION_FAILED', '?version= is a whole number of at least 1', {
    details: {
      issues: [{ path: ['version'], message: 'expected a whole number of at least 1', code: 'invalid_type' }],
    },
  });
}

const runNotFound = (id: string) => new GantryError('PIPELINE_RUN_NOT_FOUND', `no pipeline run ${id}`);

function parseBody<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const body = schema.safeParse(raw);
  if (!body.success) {
    throw new GantryError(
      'VALIDATION_FAILED',
      'body must be { "input": {…}, "priority"?: 1-10, "expires_in"?: seconds, "webhook"?: { "url", "events"? }, "email"?: { "to", "events"? } }',
      {
        details: {
          issues: body.error.issues.map((i) => ({
            path: i.path.map(String),
            message: i.message,
            code: i.code,
          })),
        },
      },
    );
  }
  return body.data;
}

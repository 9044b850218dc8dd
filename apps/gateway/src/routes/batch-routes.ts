import { once } from 'node:events';
import {
  CreateBatchRequest,
  GantryError,
  toEmailTarget,
  toWebhookTarget,
  WebhookRequest,
} from '@gantry/contracts';
import { type IRouter, type Request, type Response } from 'express';
import { type BatchOptions, type BatchWork, type Batches } from '../batches/batches.js';
import { jsonLines } from '../batches/json-lines.js';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { requireScope, tenantOf } from '../http/authenticate.js';
import { jsonBody } from '../http/json-body.js';
import { checkNotify, type NotifyChecks } from '../notifications/check-notify.js';
import { checkPipeline } from '../pipelines/check-pipeline.js';
import { findBuiltInPipeline } from '../pipelines/find-built-in-pipeline.js';

export interface BatchRouteDeps {
  batches: Batches;
  entryFor: (type: string) => Promise<CatalogueEntry | undefined>;
  limits: { jsonBytes: number };
  /** What a batch's `webhook` and `email` are checked against before it is accepted. */
  notify: NotifyChecks;
}

const jsonLinesTypes = ['application/x-ndjson', 'application/jsonl', 'application/json-lines'];

/**
 * `POST /v1/batches` (JSON with `items`, or a JSONL body with `?type=` or `?pipeline=` and an optional
 * `?webhook=<url>`), `GET` of a batch, its results as JSONL, and its cancel.
 */
export function batchRoutes(router: IRouter, deps: BatchRouteDeps): void {
  const json = jsonBody(deps.limits.jsonBytes);

  router.post('/v1/batches', requireScope('jobs'), async (req: Request, res: Response) => {
    const tenant = tenantOf(req);
    let batch;
    if (req.is(jsonLinesTypes)) {
      const type = typeof req.query['type'] === 'string' ? req.query['type'] : undefined;
      const pipeline = typeof req.query['pipeline'] === 'string' ? req.query['pipeline'] : undefined;
      if ((type === undefined) === (pipeline === undefined)) {
        throw new GantryError(
          'VALIDATION_FAILED',
          'a JSONL batch names exactly one of ?type= and ?pipeline=',
          {
            details: {
              issues: [{ path: ['type'], message: 'give exactly one of type and pipeline', code: 'custom' }],
            },
          },
        );
      }
      const options = await notifyOptions(deps, tenant, { webhook: webhookQuery(req.query['webhook']) });
      const work = await workFor(deps, type, pipeline);
      batch = await deps.batches.create(tenant, work, jsonLines(req, deps.limits.jsonBytes), options);
    } else if (req.is('application/json')) {
      await new Promise<void>((resolve, reject) =>
        json(req, res, (error?: unknown) => (error ? reject(error) : resolve())),
      );
      const body = CreateBatchRequest.safeParse(req.body);
      if (!body.success) {
        throw new GantryError(
          'VALIDATION_FAILED',
          'body must be { "type" | "pipeline", "items": [input, …], "priority"?: 1-10, "webhook"?: { "url", "events"? }, "email"?: { "to", "events"? } }',
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
      const { webhook, email, priority } = body.data;
      const options = await notifyOptions(deps, tenant, { webhook, email });
      const work = await workFor(deps, body.data.type, body.data.pipeline);
      batch = await deps.batches.create(tenant, work, body.data.items, {
        ...options,
        ...(priority === undefined ? {} : { priority }),
      });
    } else {
      throw new GantryError(
        'UNSUPPORTED_MEDIA_TYPE',
        `send application/json, or JSONL (${jsonLinesTypes.join(', ')})`,
        {
          details: { content_type: req.header('content-type') ?? null },
        },
      );
    }
    res.setHeader('Location', batch.urls.get);
    res.status(202).json(batch);
  });

  router.get('/v1/batches/:id', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const batch = await deps.batches.get(tenantOf(req), id);
    if (!batch) throw batchNotFound(id);
    res.json(batch);
  });

  router.get('/v1/batches/:id/results', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const lines = await deps.batches.results(tenantOf(req), id);
    if (!lines) throw batchNotFound(id);
    res.status(200).type('application/x-ndjson');
    for await (const line of lines) {
      // Written as it is read, waiting for a slow client: the batch is never in memory whole.
      if (!res.write(`${JSON.stringify(line)}\n`))
        await Promise.race([once(res, 'drain'), once(res, 'close')]);
      if (res.destroyed) return;
    }
    res.end();
  });

  router.post('/v1/batches/:id/cancel', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const { canceled, batch } = await deps.batches.cancel(tenantOf(req), id);
    if (!batch) throw batchNotFound(id);
    if (!canceled) {
      throw new GantryError('JOB_NOT_CANCELABLE', `batch ${id} already ended (${batch.status})`, {
        details: { status: batch.status },
      });
    }
    res.status(202).json(batch);
  });
}

/** A JSONL batch's `?webhook=<url>`: the final events, as a JSON body's `webhook` without `events`. */
function webhookQuery(raw: unknown): WebhookRequest | undefined {
  if (raw === undefined) return undefined;
  const parsed = WebhookRequest.safeParse({ url: raw });
  if (parsed.success) return parsed.data;
  throw new GantryError('VALIDATION_FAILED', '?webhook= is one http(s) URL', {
    details: {
      issues: parsed.error.issues.map((i) => ({
        path: ['webhook', 'url'],
        message: i.message,
        code: i.code,
      })),
    },
  });
}

/** The batch's notifications, refused as a job's would be (a literal private address, no secret, no SMTP). */
async function notifyOptions(
  deps: BatchRouteDeps,
  tenant: string,
  requested: { webhook?: WebhookRequest | undefined; email?: CreateBatchRequest['email'] },
): Promise<BatchOptions> {
  const options: BatchOptions = {
    ...(requested.webhook ? { webhook: toWebhookTarget(requested.webhook) } : {}),
    ...(requested.email ? { email: toEmailTarget(requested.email) } : {}),
  };
  await checkNotify(options, tenant, deps.notify);
  return options;
}

const batchNotFound = (id: string) => new GantryError('BATCH_NOT_FOUND', `no batch ${id}`);

async function workFor(
  deps: BatchRouteDeps,
  type: string | undefined,
  pipeline: string | object | undefined,
): Promise<BatchWork> {
  if (type !== undefined) {
    const entry = await deps.entryFor(type);
    if (!entry) throw new GantryError('UNKNOWN_JOB_TYPE', `unknown job type "${type}"`);
    return { entry };
  }
  const definition = typeof pipeline === 'string' ? findBuiltInPipeline(pipeline) : pipeline;
  const checked = await checkPipeline(definition, deps.entryFor, ['pipeline']);
  return { pipeline: checked.definition, name: checked.definition.name ?? null };
}

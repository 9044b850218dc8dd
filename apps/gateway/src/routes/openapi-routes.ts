import { createRequire } from 'node:module';
import path from 'node:path';
import { ErrorBody, JobList, JobObject, WorkerAnnouncement, errorCodes } from '@gantry/contracts';
import express, { type Request, type Response, type IRouter } from 'express';
import { z } from 'zod';
import type { JobCatalogue } from '../catalogue/job-catalogue.js';
import { notifyBodyFields, workflowPaths } from './workflow-openapi.js';

const schema = (type: z.ZodType) => z.toJSONSchema(type, { target: 'openapi-3.0', unrepresentable: 'any' });

const expiresIn = {
  type: 'integer',
  minimum: 1,
  maximum: 30 * 86_400,
  description:
    'Start deadline in seconds: still queued after it, the job ends `expired` (JOB_EXPIRED) and never runs',
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** OpenAPI 3 assembled from the contracts (and announced job types) at request time. */
function buildOpenApi(catalogue: JobCatalogue, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const entry of catalogue.list()) {
    const jsonBody = {
      type: 'object',
      required: ['input'],
      properties: {
        input: entry.inputSchema,
        priority: { type: 'integer', minimum: 1, maximum: 10 },
        expires_in: expiresIn,
        ...notifyBodyFields,
      },
    };
    const content: Record<string, unknown> = { 'application/json': { schema: jsonBody } };
    if (entry.blobFields.length > 0) {
      content['multipart/form-data'] = {
        schema: {
          type: 'object',
          required: ['file'],
          properties: {
            file: { type: 'string', format: 'binary', description: `accepts ${entry.accepts.join(', ')}` },
            input: { type: 'string', description: 'the rest of the input, as JSON' },
            priority: { type: 'integer' },
            expires_in: expiresIn,
            webhook: { type: 'string', description: '{ "url", "events"? } as JSON' },
            email: { type: 'string', description: '{ "to", "events"? } as JSON' },
          },
        },
      };
    }
    paths[`/v1/jobs/${entry.type}`] = {
      post: {
        operationId: `create_${entry.type.replaceAll(/[.-]/g, '_')}`,
        summary: entry.summary,
        tags: [entry.queue],
        description: `Queue \`${entry.queue}\`. Output schema: see x-output-schema. Errors a failed job may carry: ${entry.errors.join(', ') || 'runtime codes only'}.`,
        'x-output-schema': entry.outputSchema,
        parameters: [
          { name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } },
          { name: 'Prefer', in: 'header', schema: { type: 'string', example: 'wait=10' } },
        ],
        requestBody: { required: true, content },
        responses: {
          '202': {
            description: 'Accepted',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } },
          },
          '200': {
            description: 'Finished within Prefer: wait',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } },
          },
          '401': errorResponse('Missing or bad API key'),
          '409': errorResponse('Idempotency-Key reused with another body'),
          '413': errorResponse('Body or file too large'),
          '415': errorResponse('Unsupported content type or file type'),
          '422': errorResponse('Input does not match the schema'),
          '429': errorResponse('Rate limited (RATE_LIMITED) or a tenant quota used up (QUOTA_EXCEEDED)'),
          '503': errorResponse('Queue unavailable; retry after Retry-After'),
        },
      },
    };
  }
  const job = { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } };
  const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
  Object.assign(paths, {
    '/v1/jobs': {
      get: {
        summary: 'List jobs (newest first)',
        responses: {
          '200': {
            description: 'A page',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/JobList' } } },
          },
        },
      },
    },
    '/v1/jobs/{id}': {
      get: {
        summary: 'Get a job',
        parameters: idParam,
        responses: { '200': { description: 'The job', content: job }, '404': errorResponse('No such job') },
      },
    },
    '/v1/jobs/{id}/cancel': {
      post: {
        summary: 'Cancel a job',
        parameters: idParam,
        responses: {
          '202': { description: 'Canceled', content: job },
          '409': errorResponse('Already ended'),
        },
      },
    },
    '/v1/jobs/{id}/events': {
      get: {
        summary: 'Server-Sent Events: status, progress, output, completed, error (resume with Last-Event-ID)',
        parameters: idParam,
        responses: { '200': { description: 'text/event-stream' } },
      },
    },
    '/v1/job-types': {
      get: {
        summary: 'The job catalogue with JSON schemas',
        responses: { '200': { description: 'Job types' } },
      },
    },
    '/v1/workers': { get: { summary: 'Live workers', responses: { '200': { description: 'Workers' } } } },
    '/v1/queues/{queue}/pause': {
      post: { summary: 'Pause a queue (platform)', responses: { '200': { description: 'Paused' } } },
    },
    '/v1/queues/{queue}/resume': {
      post: { summary: 'Resume a queue (platform)', responses: { '200': { description: 'Resumed' } } },
    },
    '/v1/workers/{id}/drain': {
      post: { summary: 'Drain a worker (platform)', responses: { '202': { description: 'Draining' } } },
    },
    '/v1/keys': {
      get: {
        summary: "The tenant's API keys, without secrets (admin)",
        responses: { '200': { description: 'Keys' } },
      },
      post: {
        summary: 'Create an API key for the tenant (admin); the secret is in this answer only',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  scopes: { type: 'array', items: { type: 'string', enum: ['jobs', 'admin', 'platform'] } },
                  rate_limit_per_s: {
                    type: 'integer',
                    minimum: 0,
                    nullable: true,
                    description: 'platform only',
                  },
                  rate_limit_burst: {
                    type: 'integer',
                    minimum: 0,
                    nullable: true,
                    description: 'platform only',
                  },
                },
              },
            },
          },
        },
        responses: { '201': { description: 'Created, with the key' }, '403': errorResponse('Scope missing') },
      },
    },
    '/v1/keys/{id}': {
      delete: {
        summary: 'Revoke a key of the tenant (admin); every gateway refuses it within 2 s',
        parameters: idParam,
        responses: { '204': { description: 'Revoked' }, '404': errorResponse('No such active key') },
      },
      patch: {
        summary: "Set a key's own rate limit (platform); null: the default, 0: no limit",
        parameters: idParam,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['rate_limit_per_s', 'rate_limit_burst'],
                properties: {
                  rate_limit_per_s: { type: 'integer', minimum: 0, nullable: true },
                  rate_limit_burst: { type: 'integer', minimum: 0, nullable: true },
                },
              },
            },
          },
        },
        responses: { '200': { description: 'The key' }, '404': errorResponse('No such active key') },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics (platform); also without a key on GATEWAY_METRICS_PORT',
        responses: { '200': { description: 'text/plain' } },
      },
    },
    ...workflowPaths,
    '/v1/blobs': {
      post: {
        summary: 'Upload a file to reference from jobs',
        responses: { '201': { description: 'Stored' } },
      },
    },
  });
  return {
    openapi: '3.0.3',
    info: {
      title: 'Gantry API',
      version,
      description: `Error codes:\n\n${Object.entries(errorCodes)
        .map(
          ([code, info]) =>
            `- \`${code}\` (${info.status}${info.retryable ? ', retryable' : ''}): ${info.description}`,
        )
        .join('\n')}`,
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Job: schema(JobObject),
        JobList: schema(JobList),
        Error: schema(ErrorBody.extend({ request_id: z.string().nullable() })),
        Worker: schema(WorkerAnnouncement),
      },
    },
  };
}

const referencePage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Gantry API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;

/** `/openapi.json` and a browsable reference at `/docs`, served from local files (no CDN). */
export function openApiRoutes(router: IRouter, catalogue: JobCatalogue, version: string): void {
  const assets = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/openapi.json', (_req: Request, res: Response) => {
    res.json(buildOpenApi(catalogue, version));
  });
  router.get('/docs', (_req: Request, res: Response) => {
    res.type('html').send(referencePage);
  });
  router.use('/docs/assets', express.static(assets, { index: false }));
}

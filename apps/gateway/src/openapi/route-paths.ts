import { JobStatus } from '@gantry/contracts';
import { errorResponses, keyedErrors } from './error-responses.js';
import { dataOf, ok, pathParameter as path, queryParameter as query, ref } from './operation-parts.js';

const jobId = path('id', 'The job id (`Location` of its creation)');
const queue = path('queue', 'A queue name, e.g. `ocr`', '^[a-z0-9][a-z0-9_-]{0,63}$');

const listParameters = [
  query('type', 'Only jobs of this type', { type: 'string' }, 'ocr.extract'),
  {
    ...query('status', 'Only jobs in these statuses', { type: 'array', items: ref('JobStatus') }),
    style: 'form',
    explode: false,
    example: ['succeeded', 'failed'],
  },
  query('created_after', 'Only jobs created after this time (RFC 3339)', {
    type: 'string',
    format: 'date-time',
  }),
  query('created_before', 'Only jobs created before this time (RFC 3339)', {
    type: 'string',
    format: 'date-time',
  }),
  query('cursor', 'The `next_cursor` of the previous page', { type: 'string' }),
  query('limit', 'Jobs per page', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
];

const ApiKeyLimit = { type: ['integer', 'null'], minimum: 0 };
const platformOnly = 'Needs a key with the `platform` scope.';

/** Every route but the per-type `POST /v1/jobs/<type>`: reads, controls, keys, blobs, health, metrics. */
export function routePaths(): Record<string, unknown> {
  return {
    '/v1/jobs': {
      get: {
        operationId: 'listJobs',
        summary: 'List jobs, newest first, a page at a time',
        tags: ['jobs'],
        parameters: listParameters,
        responses: {
          '200': ok('A page of jobs', ref('JobList')),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'VALIDATION_FAILED', 'DATABASE_UNAVAILABLE']),
        },
      },
    },
    '/v1/jobs/{id}': {
      get: {
        operationId: 'getJob',
        summary: 'Get a job',
        tags: ['jobs'],
        parameters: [jobId],
        responses: {
          '200': ok('The job', ref('Job')),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'JOB_NOT_FOUND', 'DATABASE_UNAVAILABLE']),
        },
      },
    },
    '/v1/jobs/{id}/cancel': {
      post: {
        operationId: 'cancelJob',
        summary: 'Cancel a job: a queued one never runs, a running one has its engine process stopped',
        tags: ['jobs'],
        parameters: [jobId],
        responses: {
          '202': ok('Canceled', ref('Job')),
          ...errorResponses([
            ...keyedErrors,
            'FORBIDDEN',
            'JOB_NOT_FOUND',
            'JOB_NOT_CANCELABLE',
            'QUEUE_UNAVAILABLE',
          ]),
        },
      },
    },
    '/v1/jobs/{id}/history': {
      get: {
        operationId: 'getJobHistory',
        summary: 'The status changes of a job as recorded, oldest first (its timeline)',
        tags: ['jobs'],
        parameters: [jobId],
        responses: {
          '200': ok('The recorded status changes', ref('JobHistory')),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'JOB_NOT_FOUND', 'DATABASE_UNAVAILABLE']),
        },
      },
    },
    '/v1/jobs/{id}/events': {
      get: {
        operationId: 'streamJobEvents',
        summary: 'Follow a job live as Server-Sent Events',
        description:
          'Events `status` (the job object first, then `{ status, … }`), `progress` (`{ pct, message }`), `output` (`{ output, model }`), `error` (the error, `will_retry`) and `completed` (`{ status }`, the last). Each event has an `id`: reconnect with `Last-Event-ID` to resume after it.',
        tags: ['jobs'],
        parameters: [
          jobId,
          {
            name: 'Last-Event-ID',
            in: 'header',
            required: false,
            description: 'Resume after this event id; a finished job then sends its state and `completed`',
            schema: { type: 'string', pattern: '^\\d{1,20}-\\d{1,20}$' },
            example: '1764930000000-0',
          },
        ],
        responses: {
          '200': {
            description: 'The event stream; it ends after `completed`',
            content: {
              'text/event-stream': {
                schema: { type: 'string' },
                example: 'id: 1764930000000-0\nevent: progress\ndata: {"pct":50,"message":"page 1/2"}\n\n',
              },
            },
          },
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'JOB_NOT_FOUND', 'QUOTA_EXCEEDED']),
        },
      },
    },
    '/v1/job-types': {
      get: {
        operationId: 'listJobTypes',
        summary: 'The job catalogue: built-in types and those live workers announce, with JSON schemas',
        tags: ['catalogue'],
        responses: { '200': ok('Job types', dataOf(ref('JobType'))), ...errorResponses(keyedErrors) },
      },
    },
    '/v1/workers': {
      get: {
        operationId: 'listWorkers',
        summary: 'Live workers: queue, state, models, busy slots (host and pid for platform keys only)',
        tags: ['workers'],
        parameters: [query('queue', 'Only workers of this queue', { type: 'string' }, 'ocr')],
        responses: {
          '200': ok('Workers', dataOf(ref('Worker'))),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'QUEUE_UNAVAILABLE']),
        },
      },
    },
    '/v1/workers/{id}/drain': {
      post: {
        operationId: 'drainWorker',
        summary: 'Drain a worker: it finishes what it holds and takes nothing new',
        description: platformOnly,
        tags: ['workers'],
        parameters: [path('id', 'The worker id (`GET /v1/workers`)')],
        responses: {
          '202': ok('Draining', {
            type: 'object',
            required: ['worker', 'draining'],
            properties: { worker: { type: 'string' }, draining: { const: true } },
          }),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'WORKER_NOT_FOUND', 'QUEUE_UNAVAILABLE']),
        },
      },
    },
    '/v1/queues/{queue}/pause': queueControl('pause'),
    '/v1/queues/{queue}/resume': queueControl('resume'),
    '/v1/blobs': {
      post: {
        operationId: 'uploadBlob',
        summary: 'Upload a file once, to reference from jobs and schedules as `{ "blob_id": … }`',
        description:
          'Sniffed and limited like a job upload (GATEWAY_FILE_LIMIT_BYTES, GATEWAY_UPLOAD_BYTES_PER_DAY). Kept JOB_RETENTION_S after the last job that names it ends, and for as long as a schedule names it.',
        tags: ['blobs'],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
              },
            },
          },
        },
        responses: {
          '201': ok('Stored', ref('Blob')),
          ...errorResponses([
            ...keyedErrors,
            'BAD_REQUEST',
            'FORBIDDEN',
            'PAYLOAD_TOO_LARGE',
            'UNSUPPORTED_MEDIA_TYPE',
            'QUOTA_EXCEEDED',
          ]),
        },
      },
    },
    '/v1/blobs/{id}': {
      get: {
        operationId: 'getBlob',
        summary: "The bytes of one of the tenant's blobs: an upload, or a file a job wrote",
        description: 'Answered with the media type sniffed at upload, and the file name when it had one.',
        tags: ['blobs'],
        parameters: [path('id', 'The blob id (`blob_id`)')],
        responses: {
          '200': {
            description: 'The bytes',
            headers: {
              'Content-Disposition': {
                description: '`attachment; filename="…"` when the blob has a file name',
                schema: { type: 'string' },
              },
            },
            content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
          },
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'BLOB_NOT_FOUND']),
        },
      },
    },
    '/v1/keys': {
      get: {
        operationId: 'listApiKeys',
        summary: "The tenant's API keys, without their secrets",
        description: 'Needs a key with the `admin` scope.',
        tags: ['keys'],
        responses: {
          '200': ok('Keys', dataOf(ref('ApiKey'))),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'DATABASE_UNAVAILABLE']),
        },
      },
      post: {
        operationId: 'createApiKey',
        summary: 'Create an API key for the tenant; its secret is in this answer only',
        description:
          'Needs the `admin` scope; granting `platform` or setting limits needs the `platform` scope.',
        tags: ['keys'],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name'],
                additionalProperties: false,
                properties: {
                  name: { type: 'string', minLength: 1, maxLength: 100 },
                  scopes: { type: 'array', minItems: 1, items: ref('ApiKeyScope'), default: ['jobs'] },
                  rate_limit_per_s: ApiKeyLimit,
                  rate_limit_burst: ApiKeyLimit,
                },
              },
              example: { name: 'backend', scopes: ['jobs'] },
            },
          },
        },
        responses: {
          '201': ok('Created, with its secret `key`', {
            allOf: [
              ref('ApiKey'),
              { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
            ],
          }),
          ...errorResponses([
            ...keyedErrors,
            'BAD_REQUEST',
            'FORBIDDEN',
            'PAYLOAD_TOO_LARGE',
            'VALIDATION_FAILED',
            'DATABASE_UNAVAILABLE',
          ]),
        },
      },
    },
    '/v1/keys/{id}': {
      delete: {
        operationId: 'revokeApiKey',
        summary: 'Revoke a key of the tenant; every gateway refuses it within 2 s',
        description: 'Needs the `admin` scope.',
        tags: ['keys'],
        parameters: [path('id', 'The key id')],
        responses: {
          '204': { description: 'Revoked' },
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'API_KEY_NOT_FOUND', 'DATABASE_UNAVAILABLE']),
        },
      },
      patch: {
        operationId: 'setApiKeyLimits',
        summary: "Set a key's own rate limit: null for the gateway's default, 0 for none",
        description: platformOnly,
        tags: ['keys'],
        parameters: [path('id', 'The key id')],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['rate_limit_per_s', 'rate_limit_burst'],
                additionalProperties: false,
                properties: { rate_limit_per_s: ApiKeyLimit, rate_limit_burst: ApiKeyLimit },
              },
              example: { rate_limit_per_s: 50, rate_limit_burst: 100 },
            },
          },
        },
        responses: {
          '200': ok('The key', ref('ApiKey')),
          ...errorResponses([
            ...keyedErrors,
            'BAD_REQUEST',
            'FORBIDDEN',
            'VALIDATION_FAILED',
            'API_KEY_NOT_FOUND',
            'DATABASE_UNAVAILABLE',
          ]),
        },
      },
    },
    '/healthz': {
      get: {
        operationId: 'getHealth',
        summary: 'The process answers (no key)',
        tags: ['health'],
        security: [],
        responses: { '200': ok('Alive', { type: 'object', properties: { status: { const: 'ok' } } }) },
      },
    },
    '/readyz': {
      get: {
        operationId: 'getReadiness',
        summary: 'Redis and PostgreSQL answer (no key)',
        tags: ['health'],
        security: [],
        responses: {
          '200': ok('Ready', ref('Readiness')),
          '503': {
            ...ok('Not ready', ref('Readiness')),
            headers: { 'Retry-After': { schema: { type: 'integer' } } },
          },
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        summary: 'Prometheus metrics; also without a key on GATEWAY_METRICS_PORT',
        description: platformOnly,
        tags: ['health'],
        responses: {
          '200': {
            description: 'Prometheus text format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...errorResponses([...keyedErrors, 'FORBIDDEN']),
        },
      },
    },
  };
}

function queueControl(action: 'pause' | 'resume') {
  return {
    post: {
      operationId: `${action}Queue`,
      summary:
        action === 'pause'
          ? 'Pause a queue: no worker starts a job of it until it is resumed'
          : 'Resume a paused queue',
      description: platformOnly,
      tags: ['queues'],
      parameters: [queue],
      responses: {
        '200': ok(action === 'pause' ? 'Paused' : 'Resumed', {
          type: 'object',
          required: ['queue', 'paused'],
          properties: { queue: { type: 'string' }, paused: { const: action === 'pause' } },
        }),
        ...errorResponses([...keyedErrors, 'BAD_REQUEST', 'FORBIDDEN', 'QUEUE_UNAVAILABLE']),
      },
    },
  };
}

/** Small wire shapes of the routes above that no zod contract describes. */
export const routeSchemas = {
  JobStatus: { type: 'string', enum: JobStatus.options },
  ApiKeyScope: { type: 'string', enum: ['jobs', 'admin', 'platform'] },
  ApiKey: {
    type: 'object',
    required: ['id', 'tenant', 'name', 'scopes'],
    properties: {
      id: { type: 'string' },
      tenant: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'array', items: ref('ApiKeyScope') },
      rate_limit_per_s: ApiKeyLimit,
      rate_limit_burst: ApiKeyLimit,
      created_at: { type: 'string', format: 'date-time' },
      revoked_at: { type: ['string', 'null'], format: 'date-time' },
      last_used_at: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  Readiness: {
    type: 'object',
    required: ['status', 'checks'],
    properties: {
      status: { type: 'string', enum: ['ready', 'not_ready'] },
      checks: {
        type: 'object',
        properties: { redis: { type: 'boolean' }, database: { type: 'boolean' } },
      },
    },
  },
};

import {
  BlobObject,
  ErrorBody,
  JobHistory,
  JobList,
  WorkerAnnouncement,
  errorCodes,
} from '@gantry/contracts';
import { z } from 'zod';
import type { JobCatalogue } from '../catalogue/job-catalogue.js';
import { errorExamples } from './error-responses.js';
import { jobTypePath } from './job-type-paths.js';
import { modelPaths } from './model-paths.js';
import { pipelinePaths } from './pipeline-paths.js';
import { routePaths, routeSchemas } from './route-paths.js';
import { SchemaComponents } from './schema-components.js';
import { workflowPaths } from './workflow-paths.js';

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;

/** A catalogue entry as `GET /v1/job-types` answers it. */
const jobTypeSchema = {
  type: 'object',
  required: [
    'type',
    'queue',
    'summary',
    'source',
    'defaults',
    'errors',
    'accepts',
    'input_schema',
    'output_schema',
  ],
  properties: {
    type: { type: 'string' },
    queue: { type: 'string' },
    summary: { type: 'string' },
    source: { type: 'string', enum: ['built-in', 'announced'] },
    defaults: {
      type: 'object',
      properties: {
        attempts: { type: 'integer' },
        backoff_ms: { type: 'integer' },
        timeout_ms: { type: 'integer' },
      },
    },
    errors: { type: 'array', items: { type: 'string' } },
    accepts: { type: 'array', items: { type: 'string' } },
    input_schema: { type: 'object', description: 'JSON Schema 2020-12' },
    output_schema: { type: 'object', description: 'JSON Schema 2020-12' },
  },
};

/**
 * The OpenAPI 3.1 document, from the catalogue (the contracts this gateway was built with and the types
 * live workers announce): one operation per job type with its own input, output and job schemas, and
 * the fixed routes. Its schemas are JSON Schema 2020-12, as zod writes them.
 */
export function buildOpenApi(catalogue: JobCatalogue, version: string): Record<string, unknown> {
  const components = new SchemaComponents();
  components.add('JobList', jsonSchema(JobList));
  components.add('JobHistory', jsonSchema(JobHistory));
  components.add('Error', jsonSchema(ErrorBody.extend({ request_id: z.string().nullable() })));
  components.add('Worker', jsonSchema(WorkerAnnouncement));
  components.add('Blob', jsonSchema(BlobObject));
  Object.assign(components.schemas, routeSchemas, { JobType: jobTypeSchema });

  const entries = catalogue.list();
  const paths: Record<string, unknown> = {};
  for (const entry of entries) paths[`/v1/jobs/${entry.type}`] = jobTypePath(entry, components);
  Object.assign(
    paths,
    routePaths(),
    pipelinePaths(components),
    workflowPaths(components),
    modelPaths(components),
  );

  // The generic job object's input and output are those of its type: each type's `<Type>Job` says which.
  const job = components.schemas['Job'] as { properties: Record<string, unknown> };
  job.properties['input'] = { description: "The job's input, as its type's schema describes it" };
  job.properties['output'] = {
    description: "The job's output once it succeeded, as its type's schema describes it; else null",
  };

  const queues = [...new Set(entries.map((entry) => entry.queue))].sort();
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gantry API',
      version,
      summary: 'Heavy AI work (OCR, text, vision, forecasting) as typed jobs behind one HTTP API',
      description: `Submit a job with \`POST /v1/jobs/{type}\` (one operation per job type below), then poll it, follow its events or wait with \`Prefer: wait\`. Every error has one shape, \`{ "error": { code, message, retryable, details }, "request_id" }\`, and a stable code:\n\n${Object.entries(
        errorCodes,
      )
        .map(
          ([code, info]) =>
            `- \`${code}\` (${info.status}${info.retryable ? ', retryable' : ''}): ${info.description}`,
        )
        .join('\n')}`,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'This gateway' }],
    security: [{ apiKey: [] }],
    tags: [
      ...queues.map((queue) => ({ name: queue, description: `Job types of the \`${queue}\` queue` })),
      { name: 'jobs', description: 'Read, list, follow and cancel jobs' },
      { name: 'catalogue', description: 'The job types this gateway accepts' },
      { name: 'workers', description: 'Live workers' },
      { name: 'queues', description: 'Pause and resume queues' },
      { name: 'models', description: 'The predictive model registry: versions, promote and roll back' },
      { name: 'pipelines', description: 'Small DAGs of jobs: named or ad-hoc runs, their state and cancel' },
      { name: 'batches', description: 'A job type or a pipeline over many inputs, results as JSONL' },
      { name: 'schedules', description: 'Job types or pipelines on a cron expression or an interval' },
      {
        name: 'notifications',
        description: 'The webhook signing secret, and delivery logs of webhooks and e-mail reports',
      },
      { name: 'blobs', description: 'Files to reference from jobs, and files jobs wrote' },
      { name: 'keys', description: "The tenant's API keys" },
      { name: 'health', description: 'Liveness, readiness and metrics' },
    ],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key (`gk_…`) as `Authorization: Bearer <key>`. Its scopes (`jobs`, `admin`, `platform`) decide what it may do.',
        },
      },
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
      examples: errorExamples(paths),
    },
  };
}

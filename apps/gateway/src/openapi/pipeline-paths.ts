import {
  BatchObject,
  BatchResultLine,
  CreateBatchRequest,
  ExpiresIn,
  PipelineDefinition,
  PipelineRunObject,
  Priority,
  RunAdHocPipelineRequest,
  RunPipelineRequest,
} from '@gantry/contracts';
import { z } from 'zod';
import { errorResponses, keyedErrors } from './error-responses.js';
import {
  createdHeaders,
  dataOf,
  idempotencyKey,
  ok,
  pathParameter,
  queryParameter,
} from './operation-parts.js';
import type { SchemaComponents } from './schema-components.js';
import { findBuiltInPipeline } from '../pipelines/find-built-in-pipeline.js';

/** A request body as the client writes it: defaults are optional there. */
const requestSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
const responseSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;

const runId = pathParameter('id', 'The pipeline run id (`Location` of its creation)');
const batchId = pathParameter('id', 'The batch id (`Location` of its creation)');
const jsonLinesTypes = ['application/x-ndjson', 'application/jsonl', 'application/json-lines'];

/** What checking a definition against the catalogue may refuse, with the path of each problem. */
const definitionErrors = [
  'PIPELINE_INVALID',
  'PIPELINE_STEP_TYPE_MISSING',
  'PIPELINE_STEP_INPUT_INVALID',
] as const;
const startErrors = [
  ...keyedErrors,
  'BAD_REQUEST',
  'FORBIDDEN',
  'BLOB_NOT_FOUND',
  'IDEMPOTENCY_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'VALIDATION_FAILED',
  'QUEUE_UNAVAILABLE',
  'DATABASE_UNAVAILABLE',
  ...definitionErrors,
] as const;

const documentSummary = findBuiltInPipeline('document-summary');
const runExample = { input: { file: { blob_id: 'blob_4f1c9e2a' }, languages: ['eng'] } };
const adHocExample = {
  pipeline: {
    steps: [
      { id: 'ocr', type: 'ocr.extract', input: { file: '$input.file' } },
      { id: 'sentiment', type: 'llm.sentiment', input: { text: '$steps.ocr.output.text' } },
    ],
  },
  input: { file: { blob_id: 'blob_4f1c9e2a' } },
};

/**
 * OpenAPI paths of pipelines (named and ad-hoc runs, their state and cancel) and batches (JSON or JSONL
 * submission, state, results as JSONL, cancel), with their schemas from the contracts.
 */
export function pipelinePaths(components: SchemaComponents): Record<string, unknown> {
  const run = components.add('PipelineRun', responseSchema(PipelineRunObject));
  const definition = components.add('PipelineDefinition', responseSchema(PipelineDefinition));
  const runRequest = components.add('RunPipelineRequest', requestSchema(RunPipelineRequest));
  const adHocRequest = components.add('RunAdHocPipelineRequest', requestSchema(RunAdHocPipelineRequest));
  const batch = components.add('Batch', responseSchema(BatchObject));
  const batchRequest = components.add('CreateBatchRequest', requestSchema(CreateBatchRequest));
  const resultLine = components.add('BatchResultLine', responseSchema(BatchResultLine));
  const started = {
    description: 'Accepted: the run is queued',
    headers: createdHeaders('pipeline run, `/v1/pipeline-runs/{id}`'),
    content: { 'application/json': { schema: run } },
  };
  return {
    '/v1/pipelines': {
      get: {
        operationId: 'listPipelines',
        summary: 'The named pipelines this gateway ships, with their definitions',
        tags: ['pipelines'],
        responses: {
          '200': ok('Pipelines', dataOf(definition)),
          ...errorResponses([...keyedErrors, 'FORBIDDEN']),
        },
      },
      post: {
        operationId: 'createAdHocPipelineRun',
        summary: 'Run an ad-hoc pipeline definition once',
        description:
          "The definition is checked against the catalogue first: each problem is listed with its path in `details.issues`. Then the steps that need no other step are built from the run's input and checked as they will run: a file one of them cannot read is 415 `UNSUPPORTED_MEDIA_TYPE`, another misfit 422 `PIPELINE_STEP_INPUT_INVALID`, and no run is created.",
        tags: ['pipelines'],
        parameters: [idempotencyKey],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: adHocRequest, example: adHocExample } },
        },
        responses: { '202': started, ...errorResponses([...startErrors, 'UNSUPPORTED_MEDIA_TYPE']) },
      },
    },
    '/v1/pipelines/{name}': {
      post: {
        operationId: 'createPipelineRun',
        summary: 'Run a named pipeline (its latest version unless `version` is given)',
        description: `\`${documentSummary.name}\` ships built in: ${documentSummary.steps.map((step) => `\`${step.type}\``).join(' → ')}. A file can come as multipart, becoming the input's \`file\`.`,
        tags: ['pipelines'],
        parameters: [
          pathParameter('name', 'A pipeline name (`GET /v1/pipelines`)'),
          queryParameter('version', 'A released version of it', { type: 'integer', minimum: 1 }, 1),
          idempotencyKey,
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: runRequest, example: runExample },
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: {
                  file: {
                    type: 'string',
                    contentMediaType: 'application/octet-stream',
                    description: "The file; becomes the input's `file`",
                  },
                  input: {
                    type: 'string',
                    contentMediaType: 'application/json',
                    description: 'The rest of the input as JSON (everything but `file`)',
                  },
                  priority: requestSchema(Priority),
                  expires_in: requestSchema(ExpiresIn),
                },
              },
            },
          },
        },
        responses: {
          '202': started,
          ...errorResponses([
            ...startErrors,
            'PIPELINE_NOT_FOUND',
            'UNSUPPORTED_MEDIA_TYPE',
            'QUOTA_EXCEEDED',
          ]),
        },
      },
    },
    '/v1/pipeline-runs/{id}': {
      get: {
        operationId: 'getPipelineRun',
        summary: 'Get a pipeline run: per-step status, aggregated progress, outputs and errors',
        tags: ['pipelines'],
        parameters: [runId],
        responses: {
          '200': ok('The run', run),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'PIPELINE_RUN_NOT_FOUND', 'DATABASE_UNAVAILABLE']),
        },
      },
    },
    '/v1/pipeline-runs/{id}/cancel': {
      post: {
        operationId: 'cancelPipelineRun',
        summary: 'Cancel a pipeline run: every queued and running step with it',
        tags: ['pipelines'],
        parameters: [runId],
        responses: {
          '202': ok('Canceled', run),
          ...errorResponses([
            ...keyedErrors,
            'FORBIDDEN',
            'PIPELINE_RUN_NOT_FOUND',
            'JOB_NOT_CANCELABLE',
            'QUEUE_UNAVAILABLE',
          ]),
        },
      },
    },
    '/v1/batches': {
      post: {
        operationId: 'createBatch',
        summary: 'Run a job type or a pipeline over many inputs',
        description: `JSON with \`items\`, or a JSONL body (${jsonLinesTypes.map((type) => `\`${type}\``).join(', ')}) of one input a line with \`?type=\` or \`?pipeline=\`, read as it streams in. Every item is validated before any runs.`,
        tags: ['batches'],
        parameters: [
          queryParameter(
            'type',
            'A JSONL body: the job type of every line',
            { type: 'string' },
            'ocr.extract',
          ),
          queryParameter('pipeline', 'A JSONL body: the named pipeline of every line', { type: 'string' }),
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: batchRequest,
              example: { type: 'llm.sentiment', items: [{ text: 'Great service.' }, { text: 'Too slow.' }] },
            },
            ...Object.fromEntries(
              jsonLinesTypes.map((type) => [
                type,
                {
                  schema: { type: 'string', description: 'One input (a JSON object) a line' },
                  example: '{"text":"Great service."}\n{"text":"Too slow."}\n',
                },
              ]),
            ),
          },
        },
        responses: {
          '202': {
            description: 'Accepted: the items are queued a window at a time',
            headers: {
              Location: { description: 'The batch, `/v1/batches/{id}`', schema: { type: 'string' } },
            },
            content: { 'application/json': { schema: batch } },
          },
          ...errorResponses([
            ...keyedErrors,
            'BAD_REQUEST',
            'FORBIDDEN',
            'PAYLOAD_TOO_LARGE',
            'UNSUPPORTED_MEDIA_TYPE',
            'VALIDATION_FAILED',
            'UNKNOWN_JOB_TYPE',
            // Items of predictive.fraud-score pinning a version the model registry lacks.
            'MODEL_VERSION_NOT_FOUND',
            'PIPELINE_NOT_FOUND',
            ...definitionErrors,
            'QUEUE_UNAVAILABLE',
            'DATABASE_UNAVAILABLE',
          ]),
        },
      },
    },
    '/v1/batches/{id}': {
      get: {
        operationId: 'getBatch',
        summary: 'Get a batch: its status and counts of items by status',
        tags: ['batches'],
        parameters: [batchId],
        responses: {
          '200': ok('The batch', batch),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'BATCH_NOT_FOUND', 'DATABASE_UNAVAILABLE']),
        },
      },
    },
    '/v1/batches/{id}/results': {
      get: {
        operationId: 'getBatchResults',
        summary: "The batch's results as JSONL, in input order, streamed",
        description:
          'One `BatchResultLine` a line; a failed item has its `error`, an unfinished one its status.',
        tags: ['batches'],
        parameters: [batchId],
        responses: {
          '200': {
            description: 'One result a line (the example is one line)',
            content: {
              'application/x-ndjson': {
                schema: resultLine,
                example: {
                  index: 0,
                  id: 'job_5b0e',
                  status: 'succeeded',
                  output: { label: 'positive' },
                  error: null,
                },
              },
            },
          },
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'BATCH_NOT_FOUND', 'DATABASE_UNAVAILABLE']),
        },
      },
    },
    '/v1/batches/{id}/cancel': {
      post: {
        operationId: 'cancelBatch',
        summary: 'Cancel a batch: its pending items never start, its running ones are canceled',
        tags: ['batches'],
        parameters: [batchId],
        responses: {
          '202': ok('Canceled', batch),
          ...errorResponses([
            ...keyedErrors,
            'FORBIDDEN',
            'BATCH_NOT_FOUND',
            'JOB_NOT_CANCELABLE',
            'QUEUE_UNAVAILABLE',
          ]),
        },
      },
    },
  };
}

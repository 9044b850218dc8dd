import { EmailRequest, ExpiresIn, PredictiveFraudScore, Priority, WebhookRequest } from '@gantry/contracts';
import { z } from 'zod';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { errorResponses, keyedErrors } from './error-responses.js';
import { createdHeaders, idempotencyKey, ref } from './operation-parts.js';
import { type SchemaComponents, schemaNameOf } from './schema-components.js';

const inline = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema);
  return rest;
};
const options = { priority: inline(Priority), expires_in: inline(ExpiresIn) };
/** Notifications of the job's status changes, beside `input`. */
const notify = { webhook: inline(WebhookRequest), email: inline(EmailRequest) };
const notifyParts = {
  webhook: {
    type: 'string',
    contentMediaType: 'application/json',
    description: '`{ "url", "events"? }` as JSON',
  },
  email: {
    type: 'string',
    contentMediaType: 'application/json',
    description: '`{ "to", "events"? }` as JSON',
  },
};

const createErrors = [
  ...keyedErrors,
  'BAD_REQUEST',
  'FORBIDDEN',
  'BLOB_NOT_FOUND',
  'IDEMPOTENCY_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'VALIDATION_FAILED',
  'QUOTA_EXCEEDED',
  'QUEUE_UNAVAILABLE',
  'DATABASE_UNAVAILABLE',
] as const;

/** What reading a JobOutputRef (`source`) may answer at submission. */
const sourceErrors = [
  'JOB_NOT_FOUND',
  'SOURCE_JOB_NOT_FINISHED',
  'SOURCE_JOB_NOT_SUCCEEDED',
  'SOURCE_NOT_TEXT',
] as const;

/** What checking the features against the model version (`checkModelFeatures`) may answer at submission. */
const modelErrors = ['MODEL_VERSION_NOT_FOUND'] as const;

const createHeaders = [
  idempotencyKey,
  {
    name: 'Prefer',
    in: 'header',
    description:
      '`wait=N` holds the answer up to N seconds (at most GATEWAY_MAX_WAIT_S) and answers 200 if the job ends by then; a bare `wait` waits the longest allowed',
    schema: { type: 'string', pattern: '^wait(=\\d+)?$' },
    example: 'wait=10',
  },
];

/** The inputs in the schema's `examples` that the contract itself accepts: no example that would fail. */
const workingExamples = (entry: CatalogueEntry): unknown[] =>
  ((entry.inputSchema['examples'] ?? []) as unknown[]).filter((example) => entry.validate(example).ok);

/**
 * `POST /v1/jobs/<type>` for one catalogue entry: its own input, output and job schemas, a JSON body (and a
 * multipart one when it takes a file), the errors it may answer and a request example its contract accepts.
 */
export function jobTypePath(entry: CatalogueEntry, components: SchemaComponents): Record<string, unknown> {
  const name = schemaNameOf(entry.type);
  const { examples: _examples, ...inputSchema } = entry.inputSchema;
  const input = components.add(`${name}Input`, inputSchema);
  const output = components.add(`${name}Output`, entry.outputSchema);
  components.schemas[`${name}Job`] = {
    description: `A \`${entry.type}\` job: the job object with this type's input and output`,
    allOf: [
      ref('Job'),
      {
        type: 'object',
        properties: {
          type: { const: entry.type },
          input,
          output: { anyOf: [output, { type: 'null' }], description: 'Set once the job succeeded' },
        },
      },
    ],
  };
  const examples = workingExamples(entry);
  const jsonBody = {
    schema: {
      type: 'object',
      required: ['input'],
      properties: { input, ...options, ...notify },
    },
    ...(examples.length > 0
      ? {
          examples: Object.fromEntries(
            examples.map((example, i) => [`example${i + 1}`, { value: { input: example } }]),
          ),
        }
      : {}),
  };
  const content: Record<string, unknown> = { 'application/json': jsonBody };
  if (entry.blobFields.length > 0) {
    const field = entry.blobFields.includes('file') ? 'file' : entry.blobFields[0];
    content['multipart/form-data'] = {
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          file: {
            type: 'string',
            contentMediaType: 'application/octet-stream',
            description: `The file; becomes the input's \`${field}\`. Its real type (sniffed) must be one of: ${entry.accepts.join(', ') || 'any'}`,
          },
          input: {
            type: 'string',
            contentMediaType: 'application/json',
            description: `The rest of the input as JSON (everything but \`${field}\`)`,
          },
          ...options,
          ...notifyParts,
        },
      },
      ...(entry.accepts.length > 0 ? { encoding: { file: { contentType: entry.accepts.join(', ') } } } : {}),
    };
  }
  const job = { 'application/json': { schema: ref(`${name}Job`) } };
  const location = createdHeaders('job, `/v1/jobs/{id}`');
  return {
    post: {
      operationId: `create${name}Job`,
      summary: entry.summary,
      description: [
        `Queue \`${entry.queue}\`; up to ${entry.defaults.attempts} attempt(s) of at most ${entry.defaults.timeoutMs} ms each.`,
        entry.errors.length > 0 ? `A failed job's \`error.code\` may be: ${entry.errors.join(', ')}.` : '',
        entry.source === 'announced' ? 'Announced by a live worker (not built into this gateway).' : '',
      ]
        .filter(Boolean)
        .join(' '),
      tags: [entry.queue],
      parameters: createHeaders,
      requestBody: { required: true, content },
      responses: {
        '200': { description: 'The job ended within `Prefer: wait`', headers: location, content: job },
        '202': { description: 'Accepted: the job is queued', headers: location, content: job },
        ...errorResponses([
          ...createErrors,
          ...(entry.jobOutputFields.length > 0 ? sourceErrors : []),
          ...(entry.type === PredictiveFraudScore.type ? modelErrors : []),
        ]),
      },
    },
  };
}

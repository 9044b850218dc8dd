import { ModelList, ModelPromotion } from '@gantry/contracts';
import { z } from 'zod';
import { errorResponses, keyedErrors } from './error-responses.js';
import { ok, pathParameter } from './operation-parts.js';
import type { SchemaComponents } from './schema-components.js';

const responseSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;

const platformOnly =
  'Needs a key with the `platform` scope. Answered by a live predictive worker, which mounts the registry.';
const modelName = pathParameter('name', 'A registry model name, e.g. `fraud`', '^[a-z0-9][a-z0-9_-]{0,63}$');
const reached = ['MODEL_REGISTRY_UNAVAILABLE', 'QUEUE_UNAVAILABLE'] as const;

/** OpenAPI paths of the predictive model registry: list, promote, roll back. */
export function modelPaths(components: SchemaComponents): Record<string, unknown> {
  const list = components.add('ModelList', responseSchema(ModelList));
  const promotion = components.add('ModelPromotion', responseSchema(ModelPromotion));
  return {
    '/v1/models': {
      get: {
        operationId: 'listModels',
        summary: 'Registry models with their versions, metrics and the promoted version',
        description: platformOnly,
        tags: ['models'],
        responses: {
          '200': ok('The registry', list),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', ...reached]),
        },
      },
    },
    '/v1/models/{name}/promote': {
      post: {
        operationId: 'promoteModel',
        summary: 'Make a version the default of jobs that do not pin one (from their next job on)',
        description: platformOnly,
        tags: ['models'],
        parameters: [modelName],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['version'],
                additionalProperties: false,
                properties: { version: { type: 'string', pattern: '^[0-9]{1,9}$' } },
              },
              example: { version: '2' },
            },
          },
        },
        responses: {
          '200': ok('Promoted', promotion),
          ...errorResponses([
            ...keyedErrors,
            'FORBIDDEN',
            'VALIDATION_FAILED',
            'MODEL_NOT_FOUND',
            'MODEL_VERSION_NOT_FOUND',
            ...reached,
          ]),
        },
      },
    },
    '/v1/models/{name}/rollback': {
      post: {
        operationId: 'rollbackModel',
        summary: 'Promote again the version promoted before the current one',
        description: platformOnly,
        tags: ['models'],
        parameters: [modelName],
        responses: {
          '200': ok('Rolled back', promotion),
          ...errorResponses([
            ...keyedErrors,
            'FORBIDDEN',
            'MODEL_NOT_FOUND',
            'MODEL_VERSION_NOT_FOUND',
            ...reached,
          ]),
        },
      },
    },
  };
}

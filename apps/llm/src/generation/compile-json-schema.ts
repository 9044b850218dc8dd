import { GantryError } from '@gantry/contracts';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);

/**
 * The caller's schema compiled once per job. The gateway checked its structure; what ajv still
 * rejects (a bad `$ref`, a bad pattern) is the caller's input too: VALIDATION_FAILED, never retried.
 */
export function compileJsonSchema(schema: Record<string, unknown>): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new GantryError(
      'VALIDATION_FAILED',
      `schema is not a valid JSON Schema: ${(error as Error).message}`,
      {
        details: {
          issues: [{ path: ['schema'], message: (error as Error).message, code: 'invalid_json_schema' }],
        },
      },
    );
  }
}

/** ajv's errors as short lines a model (and a caller reading `details`) can act on. */
export const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .slice(0, 10)
    .map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);

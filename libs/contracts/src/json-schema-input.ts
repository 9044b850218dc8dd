import { z } from 'zod';

/** Deeper schemas are refused before they are walked: a hostile one must not exhaust the stack. */
export const maxJsonSchemaDepth = 32;

const JsonType = z.enum(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

/**
 * The structure of a JSON Schema, checked at the gateway so a malformed one is a 422 at submission
 * (a misspelt type, `required` not a list, a property that is not a schema). Other keywords pass
 * through untouched; the worker compiles the whole schema with ajv and refuses what that rejects.
 */
const JsonSchemaNode = z.looseObject({
  type: z.union([JsonType, z.array(JsonType).min(1)]).optional(),
  get properties() {
    return z.record(z.string(), JsonSchemaNode).optional();
  },
  required: z.array(z.string()).optional(),
  get items() {
    return JsonSchemaNode.optional();
  },
  get additionalProperties() {
    return z.union([z.boolean(), JsonSchemaNode]).optional();
  },
  get anyOf() {
    return z.array(JsonSchemaNode).min(1).optional();
  },
  get oneOf() {
    return z.array(JsonSchemaNode).min(1).optional();
  },
  get allOf() {
    return z.array(JsonSchemaNode).min(1).optional();
  },
  enum: z.array(z.unknown()).min(1).optional(),
  description: z.string().optional(),
});

function depthOf(value: unknown): number {
  // Iterative on purpose: recursion is what a deep schema would use to overflow the stack.
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > maxJsonSchemaDepth) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A caller's JSON Schema for an object: the root must describe an object with properties. */
export const JsonSchemaInput = z
  .unknown()
  .refine(
    (value) => depthOf(value) <= maxJsonSchemaDepth,
    `schema must nest at most ${maxJsonSchemaDepth} levels`,
  )
  .pipe(
    JsonSchemaNode.refine(
      (schema) => schema.type === 'object' && schema.properties !== undefined,
      'schema must be a JSON Schema of "type": "object" with "properties"',
    ),
  )
  .describe('A JSON Schema (draft 2020-12 or 07) for the object to extract; its root is an object');
export type JsonSchemaInput = z.infer<typeof JsonSchemaInput>;

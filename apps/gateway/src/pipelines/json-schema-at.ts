import type { PathSegment } from './pipeline-reference.js';

type JsonSchema = Record<string, unknown>;

/** What a path leads to in a JSON schema: a schema, nothing (`missing`), or something it cannot tell. */
export type SchemaAt = { schema: JsonSchema } | { missing: string } | { unknown: true };

const deref = (schema: JsonSchema, root: JsonSchema): JsonSchema => {
  const ref = schema['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return schema;
  const defs = (root['$defs'] ?? {}) as Record<string, JsonSchema>;
  return defs[ref.slice('#/$defs/'.length)] ?? {};
};

/**
 * Follows a reference's path through a contract's JSON schema (as `z.toJSONSchema` writes it), so that a
 * mapping can be checked before anything runs. Unions and free-form objects answer `unknown`: the step's
 * own validation catches those at run time.
 */
export function schemaAt(schema: JsonSchema, root: JsonSchema, path: readonly PathSegment[]): SchemaAt {
  const here = deref(schema, root);
  const [head, ...rest] = path;
  if (head === undefined) return { schema: here };
  if ('anyOf' in here || 'oneOf' in here || 'allOf' in here) return { unknown: true };
  if (typeof head === 'number' || head === '*') {
    if (here['type'] !== 'array') {
      return here['type'] === undefined
        ? { unknown: true }
        : { missing: `is not a list (${typeName(here)})` };
    }
    const items = here['items'];
    if (typeof items !== 'object' || items === null) return { unknown: true };
    const inner = schemaAt(items as JsonSchema, root, rest);
    return head === '*' && 'schema' in inner ? { schema: { type: 'array', items: inner.schema } } : inner;
  }
  const properties = here['properties'] as Record<string, JsonSchema> | undefined;
  if (properties && Object.hasOwn(properties, head))
    return schemaAt(properties[head] as JsonSchema, root, rest);
  if (here['type'] !== undefined && here['type'] !== 'object') {
    return { missing: `is not an object (${typeName(here)})` };
  }
  if (properties && here['additionalProperties'] === false) {
    return { missing: `has no field "${head}" (fields: ${Object.keys(properties).join(', ')})` };
  }
  return { unknown: true };
}

export const typeName = (schema: JsonSchema): string =>
  typeof schema['type'] === 'string' ? schema['type'] : 'unknown';

/** False only when both schemas name a JSON type and no value of the first can be one of the second. */
export function typesFit(source: JsonSchema, target: JsonSchema, root: JsonSchema): boolean {
  const from = source['type'];
  const to = deref(target, root)['type'];
  if (typeof from !== 'string' || typeof to !== 'string') return true;
  const numeric = (type: string) => type === 'number' || type === 'integer';
  // A number may well be an integer: only the step's own validation can tell.
  return from === to || (numeric(from) && numeric(to));
}

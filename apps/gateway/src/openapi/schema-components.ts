type JsonSchema = Record<string, unknown>;

/** PascalCase of a job type: `ocr.extract.v2` → `OcrExtractV2`, a name components and SDKs can use. */
export const schemaNameOf = (type: string): string =>
  type
    .split(/[.\-_]/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * The document's `components.schemas`, filled from standalone JSON Schemas (zod's output, or a worker's
 * announcement): their `$defs` move into the components and their `$ref`s follow, since a `#/$defs/…`
 * inside an embedded schema would point at the document's root. A def whose name is taken by a different
 * schema is kept under its owner's name in front.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /** Adds `schema` as `name` (its defs beside it) and returns a `$ref` to it. */
  add(name: string, schema: JsonSchema): JsonSchema {
    const { $schema: _dialect, $defs, ...root } = schema;
    const renames = new Map<string, string>();
    const defs = Object.entries(($defs ?? {}) as Record<string, JsonSchema>);
    for (const [def, body] of defs) renames.set(def, this.freeName(def, body, name));
    const rewrite = (value: unknown): unknown => rewriteRefs(value, renames);
    for (const [def, body] of defs) this.schemas[renames.get(def) as string] = rewrite(body) as JsonSchema;
    const rewritten = rewrite(root) as JsonSchema;
    const onlyRef = Object.keys(rewritten).length === 1 && typeof rewritten['$ref'] === 'string';
    if (onlyRef) return rewritten;
    this.schemas[name] = rewritten;
    return { $ref: `#/components/schemas/${name}` };
  }

  private freeName(def: string, body: JsonSchema, owner: string): string {
    const taken = this.schemas[def];
    const same = JSON.stringify(taken) === JSON.stringify(rewriteRefs(body, new Map()));
    return !taken || same ? def : `${owner}${def}`;
  }
}

const isEmptySchema = (schema: unknown) =>
  typeof schema === 'object' && schema !== null && Object.keys(schema).length === 0;

/** Keywords whose values are data, not schemas: nothing inside them is rewritten. */
const dataKeywords = new Set(['examples', 'default', 'const', 'enum']);

/**
 * `#/$defs/X` → `#/components/schemas/<renamed X>`; the custom `gantry` keyword → `x-gantry` (OpenAPI
 * tools accept unknown keywords only with the `x-` prefix); an `anyOf` one of whose schemas is empty (any
 * value) goes. `names` is true for a map of property names.
 */
function rewriteRefs(value: unknown, renames: Map<string, string>, names = false): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renames));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (names) out[key] = rewriteRefs(child, renames);
    else if (dataKeywords.has(key)) out[key] = child;
    else if (key === 'anyOf' && Array.isArray(child) && child.some(isEmptySchema)) {
      // zod writes `unknown().nullable()` as `anyOf: [{}, { type: 'null' }]`: that is any value, said plainly.
      continue;
    } else if (key === '$ref' && typeof child === 'string' && child.startsWith('#/$defs/')) {
      const def = child.slice('#/$defs/'.length);
      out[key] = `#/components/schemas/${renames.get(def) ?? def}`;
    } else if (key === 'gantry') out['x-gantry'] = child;
    else out[key] = rewriteRefs(child, renames, key === 'properties' || key === '$defs');
  }
  return out;
}

/** Small builders of OpenAPI operation parts, shared by the path modules so that they read alike. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });

export const ok = (description: string, schema: Record<string, unknown>) => ({
  description,
  content: json(schema),
});

/** `{ data: [item] }`, the shape of every unpaged list. */
export const dataOf = (item: Record<string, unknown>) => ({
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: item } },
});

export const pathParameter = (name: string, description: string, pattern?: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', ...(pattern ? { pattern } : {}) },
});

export const queryParameter = (
  name: string,
  description: string,
  schema: Record<string, unknown>,
  example?: unknown,
) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
  ...(example === undefined ? {} : { example }),
});

export const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  description:
    'Per tenant, kept 24 h: the same key and body return what the first request created (even while it runs); another body is 409',
  schema: { type: 'string', maxLength: 255 },
  example: 'order-4711-review',
};

/** The headers of a `202` that created something: where it is, and whether it was an idempotent replay. */
export const createdHeaders = (what: string) => ({
  Location: { description: `The ${what}`, schema: { type: 'string' } },
  'Idempotent-Replayed': {
    description: '`true` when an Idempotency-Key matched an earlier submission, which this answer is',
    schema: { type: 'string', enum: ['true'] },
  },
});

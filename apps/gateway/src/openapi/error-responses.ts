import { type ErrorCode, errorCodes } from '@gantry/contracts';

/** What any route behind a key may answer, whatever it does. */
export const keyedErrors = [
  'UNAUTHORIZED',
  'RATE_LIMITED',
  'INTERNAL',
] as const satisfies readonly ErrorCode[];

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1 },
  },
};

/**
 * The responses for the codes a route may answer, one per HTTP status, each with an example body per
 * code (`errorExamples`): the registry gives the status, whether it is retryable and what it means.
 */
export function errorResponses(codes: readonly ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = errorCodes[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: group.map((code) => `\`${code}\`: ${errorCodes[code].description}`).join('\n\n'),
      ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/Error' },
          examples: Object.fromEntries(
            group.map((code) => [code, { $ref: `#/components/examples/${code}` }]),
          ),
        },
      },
    };
  }
  return responses;
}

/** The example error body of each code that `document` refers to, for `components.examples`. */
export function errorExamples(document: unknown): Record<string, unknown> {
  const used = new Set(
    [...JSON.stringify(document).matchAll(/#\/components\/examples\/([A-Z_]+)/g)].map(
      (m) => m[1] as ErrorCode,
    ),
  );
  return Object.fromEntries(
    [...used].sort().map((code) => [
      code,
      {
        summary: errorCodes[code].description,
        value: {
          error: {
            code,
            message: errorCodes[code].description,
            retryable: errorCodes[code].retryable,
            details: null,
          },
          request_id: 'req_3f9c2a7d41b8',
        },
      },
    ]),
  );
}

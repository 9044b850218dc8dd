import { z } from 'zod';
import type { JobContract } from './define-job.js';

/**
 * A contract's input and output as JSON Schema 2020-12, the one conversion the gateway's catalogue and a
 * worker's announcement share: the input as a caller writes it (defaults optional), with the contract's
 * examples, so a type announced by a worker documents itself like a built-in one.
 */
export function jobJsonSchemas(contract: JobContract): {
  input: Record<string, unknown>;
  output: Record<string, unknown>;
} {
  const input = z.toJSONSchema(contract.input, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    input: contract.examples.length > 0 ? { ...input, examples: [...contract.examples] } : input,
    output: z.toJSONSchema(contract.output, { unrepresentable: 'any' }) as Record<string, unknown>,
  };
}

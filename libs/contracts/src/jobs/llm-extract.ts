import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { JsonSchemaInput } from '../json-schema-input.js';
import { GenerationInfo, llmText } from '../llm-generation.js';

/** 50 000 characters: an invoice, a contract section or a long e-mail thread. */
export const maxExtractTextLength = 50_000;

export const LlmExtractInput = z.object({
  text: llmText(maxExtractTextLength, 'The text to extract from'),
  schema: JsonSchemaInput,
  instructions: z
    .string()
    .max(2_000)
    .optional()
    .describe('What to extract and how, beyond the schema and its descriptions'),
});
export type LlmExtractInput = z.infer<typeof LlmExtractInput>;

export const LlmExtractOutput = z.object({
  data: z.record(z.string(), z.unknown()).describe('The object extracted, valid against the schema'),
  attempts: z
    .number()
    .int()
    .positive()
    .describe('Requests it took: 1, or more when the model was shown its validation errors'),
  ...GenerationInfo,
});
export type LlmExtractOutput = z.infer<typeof LlmExtractOutput>;

export const LlmExtract = defineJob({
  type: 'llm.extract',
  queue: 'llm',
  summary:
    "Extract an object valid against the caller's JSON Schema from a text with a generative LLM (structured output)",
  input: LlmExtractInput,
  output: LlmExtractOutput,
  defaults: { attempts: 3, timeoutMs: 180_000 },
  errors: [
    'VALIDATION_FAILED',
    'OUTPUT_INVALID',
    'LLM_PROVIDER_REQUIRED',
    'LLM_PROVIDER_UNAVAILABLE',
    'LLM_PROVIDER_REJECTED',
    'MODEL_UNAVAILABLE',
  ],
  examples: [
    {
      text: 'Invoice INV-2041 from Acme GmbH, due 2026-01-31, total EUR 1,250.00.',
      schema: {
        type: 'object',
        properties: {
          invoice_number: { type: 'string' },
          due_date: { type: 'string', format: 'date' },
          total: { type: 'number' },
        },
        required: ['invoice_number', 'total'],
      },
    },
  ],
});

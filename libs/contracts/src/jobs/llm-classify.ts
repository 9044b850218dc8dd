import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { optionalGeneration } from '../llm-generation.js';
import { labelSet, languageText } from './language-text.js';

/** 50 000 characters: a document of a few pages. */
export const maxClassifyTextLength = 50_000;

export const LlmClassifyInput = z.object({
  text: languageText(maxClassifyTextLength, 'The text to classify'),
  labels: labelSet('label').describe('The labels to choose from, each with examples'),
  multi_label: z
    .boolean()
    .default(false)
    .describe(
      'false: scores are a distribution over the labels (sum 1); true: each label is scored on its own',
    ),
});
export type LlmClassifyInput = z.infer<typeof LlmClassifyInput>;

export const LlmClassifyOutput = z.object({
  labels: z
    .array(z.object({ name: z.string(), score: z.number().min(0).max(1) }))
    .describe('Every label, best first'),
  method: z
    .enum(['examples', 'llm'])
    .describe(
      '`examples`: similarity to the examples, learnt in process; `llm`: zero-shot by the configured generative provider',
    ),
  ...optionalGeneration,
});
export type LlmClassifyOutput = z.infer<typeof LlmClassifyOutput>;

export const LlmClassify = defineJob({
  type: 'llm.classify',
  queue: 'llm',
  summary: 'Score a text against labels taught by examples, best first (one label or several)',
  input: LlmClassifyInput,
  output: LlmClassifyOutput,
  defaults: { attempts: 3, timeoutMs: 15_000 },
  errors: [
    'VALIDATION_FAILED',
    'EXAMPLES_REQUIRED',
    'LLM_PROVIDER_UNAVAILABLE',
    'LLM_PROVIDER_REJECTED',
    'OUTPUT_INVALID',
  ],
  examples: [
    {
      text: 'The invoice for March charges us twice for the same licence.',
      labels: [
        { name: 'billing', examples: ['I was charged twice', 'The invoice total is wrong'] },
        { name: 'technical', examples: ['The app crashes on start', 'I cannot log in'] },
      ],
    },
  ],
});

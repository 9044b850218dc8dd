import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { optionalGeneration } from '../llm-generation.js';

/** 20 000 characters: a long e-mail thread; longer texts are documents, not messages. */
export const maxSentimentTextLength = 20_000;

export const SentimentLabel = z.enum(['positive', 'negative', 'neutral']);
export type SentimentLabel = z.infer<typeof SentimentLabel>;

export const LlmSentimentInput = z.object({
  text: z
    .string()
    .refine((text) => text.trim() !== '', 'text must not be empty or whitespace')
    .refine(
      (text) => text.length <= maxSentimentTextLength,
      `text must be at most ${maxSentimentTextLength} characters`,
    )
    .describe('The text to classify: an e-mail, review, ticket or chat message, in English'),
  sentences: z
    .boolean()
    .optional()
    .describe('true: also classify each sentence on its own (`sentences` in the output)'),
});
export type LlmSentimentInput = z.infer<typeof LlmSentimentInput>;

export const LlmSentimentOutput = z.object({
  label: SentimentLabel,
  score: z
    .number()
    .min(-1)
    .max(1)
    .describe('P(positive) − P(negative): −1 clearly negative … 1 clearly positive'),
  confidence: z
    .number()
    .min(0)
    .max(1)
    .describe('Probability of the label; 0 when the language is not supported'),
  language: z
    .string()
    .nullable()
    .describe('Language the text was read as (ISO 639-1 where it has one); null when it has no letters'),
  language_supported: z
    .boolean()
    .describe(
      'false: the text is in a language the model does not read; it is then "neutral" with confidence 0',
    ),
  sentences: z
    .array(
      z.object({
        text: z.string(),
        start: z.number().int().nonnegative().describe('Offset in the text (UTF-16 units)'),
        end: z.number().int().nonnegative().describe('Exclusive end offset'),
        label: SentimentLabel,
        score: z.number().min(-1).max(1),
        confidence: z.number().min(0).max(1),
      }),
    )
    .optional()
    .describe('Each sentence classified on its own, in text order; only when asked for'),
  ...optionalGeneration,
});
export type LlmSentimentOutput = z.infer<typeof LlmSentimentOutput>;

export const LlmSentiment = defineJob({
  type: 'llm.sentiment',
  queue: 'llm',
  summary:
    'Classify the sentiment of a customer text (positive, negative or neutral) with a score and confidence',
  input: LlmSentimentInput,
  output: LlmSentimentOutput,
  defaults: { attempts: 3, timeoutMs: 15_000 },
  errors: [
    'VALIDATION_FAILED',
    'MODEL_UNAVAILABLE',
    'LLM_PROVIDER_UNAVAILABLE',
    'LLM_PROVIDER_REJECTED',
    'OUTPUT_INVALID',
  ],
  examples: [
    { text: 'I would be grateful if you could finally look into this, it is the third time I have written.' },
  ],
});

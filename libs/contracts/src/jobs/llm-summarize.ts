import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';
import { JobOutputRef } from '../job-output-ref.js';
import { optionalGeneration } from '../llm-generation.js';
import { languageText } from './language-text.js';

/** 200 000 characters: a long report or a book chapter; longer texts are split and summarised by chunks. */
export const maxSummarizeTextLength = 200_000;

export const SummaryLength = z.union([
  z.object({ sentences: z.number().int().min(1).max(50) }).strict(),
  z.object({ words: z.number().int().min(5).max(2_000) }).strict(),
]);
export type SummaryLength = z.infer<typeof SummaryLength>;

export const SummaryStyle = z.enum(['paragraph', 'bullets']);
export type SummaryStyle = z.infer<typeof SummaryStyle>;

export const LlmSummarizeInput = z
  .object({
    text: languageText(maxSummarizeTextLength, 'The text to summarise, in English').optional(),
    file: BlobRef.optional().describe('A UTF-8 text file to summarise instead of `text`'),
    source: JobOutputRef.optional().describe(
      'Text in an earlier job\'s output to summarise instead of `text`, e.g. `{ "job_id": "<an ocr.extract job>" }`',
    ),
    length: SummaryLength.default({ sentences: 3 }).describe(
      'How long the summary may be: `{ "sentences": n }` or `{ "words": n }` (a word budget is never exceeded)',
    ),
    style: SummaryStyle.default('paragraph').describe(
      '`paragraph`: one block; `bullets`: one "- " line a sentence',
    ),
  })
  .refine(
    (input) => [input.text, input.file, input.source].filter((given) => given !== undefined).length === 1,
    { message: 'give one of `text`, `file` or `source`', path: ['text'] },
  )
  .refine((input) => input.source === undefined || input.source.text !== undefined, {
    message:
      'a `source` is read by the gateway when the job is submitted with POST /v1/jobs/llm.summarize or in a batch; schedules and pipelines take `text`',
    path: ['source'],
  })
  .refine((input) => input.source?.text === undefined || input.source.text.trim() !== '', {
    message: "the source job's text is empty or whitespace",
    path: ['source', 'text'],
  })
  .refine((input) => input.source?.text === undefined || input.source.text.length <= maxSummarizeTextLength, {
    message: `the source job's text must be at most ${maxSummarizeTextLength} characters`,
    path: ['source', 'text'],
  });
export type LlmSummarizeInput = z.infer<typeof LlmSummarizeInput>;

export const SummarySentence = z.object({
  text: z.string(),
  start: z.number().int().nonnegative().describe('Offset of the sentence in the source text (UTF-16 units)'),
  end: z.number().int().nonnegative().describe('Exclusive end offset'),
  score: z.number().min(0).max(1).describe('Its centrality in the sentence graph, 1 for the most central'),
});
export type SummarySentence = z.infer<typeof SummarySentence>;

export const LlmSummarizeOutput = z.object({
  summary: z.string(),
  sentences: z
    .array(SummarySentence)
    .describe('The sentences the summary is made of, in source order (`textrank`; empty for `llm`)'),
  method: z
    .enum(['textrank', 'llm'])
    .describe(
      '`textrank`: extractive, sentences ranked by graph centrality; `llm`: written by the configured generative provider',
    ),
  chunks: z.number().int().positive().describe('Chunks the text was split into (map-reduce past one)'),
  language: z.string().nullable(),
  ...optionalGeneration,
});
export type LlmSummarizeOutput = z.infer<typeof LlmSummarizeOutput>;

export const LlmSummarize = defineJob({
  type: 'llm.summarize',
  queue: 'llm',
  summary:
    "Summarise a text, a text file or an earlier job's text in a number of sentences or words, as a paragraph or bullets",
  input: LlmSummarizeInput,
  output: LlmSummarizeOutput,
  defaults: { attempts: 3, timeoutMs: 60_000 },
  errors: [
    'VALIDATION_FAILED',
    'LANGUAGE_UNSUPPORTED',
    'UNSUPPORTED_MEDIA_TYPE',
    'LLM_PROVIDER_UNAVAILABLE',
    'LLM_PROVIDER_REJECTED',
  ],
  accepts: ['text/plain'],
  examples: [
    {
      text: 'The board met on Monday to review the third quarter. Revenue grew by eight percent, driven by the new subscription plans. Costs rose less than planned because two hires were postponed. The board approved the budget for the next year and asked for a hiring plan by December.',
      length: { sentences: 2 },
    },
  ],
});

import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { languageText } from './language-text.js';

/** 50 000 characters: a long document; tags of a longer one come from its first part anyway. */
export const maxTagsTextLength = 50_000;

export const LlmTagsInput = z.object({
  text: languageText(maxTagsTextLength, 'The text to tag: an e-mail, ticket, review, article or OCR result'),
  max_keywords: z.number().int().min(1).max(50).default(10),
});
export type LlmTagsInput = z.infer<typeof LlmTagsInput>;

export const EntityType = z.enum([
  'person',
  'organization',
  'place',
  'date',
  'amount',
  'email',
  'iban',
  'url',
]);
export type EntityType = z.infer<typeof EntityType>;

export const TagEntity = z.object({
  type: EntityType,
  text: z.string().describe('As written in the text'),
  start: z.number().int().nonnegative().describe('Offset in the text (UTF-16 units)'),
  end: z.number().int().nonnegative().describe('Exclusive end offset'),
  normalized: z
    .string()
    .optional()
    .describe('A canonical form where there is one: an IBAN without spaces, a lower-case e-mail'),
});
export type TagEntity = z.infer<typeof TagEntity>;

export const LlmTagsOutput = z.object({
  keywords: z
    .array(z.object({ text: z.string(), score: z.number().min(0).max(1) }))
    .describe('Key phrases, best first'),
  entities: z.array(TagEntity).describe('In text order'),
  language: z
    .string()
    .nullable()
    .describe('ISO 639-1 where it has one; null when there is nothing to tell by'),
  word_count: z.number().int().nonnegative(),
  reading_time_s: z.number().int().nonnegative().describe('At 230 words a minute'),
  category: z
    .object({ name: z.string(), score: z.number().min(0).max(1) })
    .nullable()
    .describe('The built-in category the text is closest to; null when none is close'),
});
export type LlmTagsOutput = z.infer<typeof LlmTagsOutput>;

export const LlmTags = defineJob({
  type: 'llm.tags',
  queue: 'llm',
  summary:
    'Keywords, named entities (people, organisations, places, dates, amounts, e-mails, IBANs), language, reading time and category',
  input: LlmTagsInput,
  output: LlmTagsOutput,
  defaults: { attempts: 3, timeoutMs: 30_000 },
  errors: ['VALIDATION_FAILED'],
  examples: [
    { text: 'Anna Schmidt from Acme GmbH asked on 3 March 2026 for a refund of EUR 49 to her account.' },
  ],
});

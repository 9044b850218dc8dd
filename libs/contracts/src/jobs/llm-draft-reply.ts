import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { LabelName, languageText } from './language-text.js';

/** 20 000 characters: a long e-mail. */
export const maxDraftReplyTextLength = 20_000;

export const ReplyTone = z.enum(['friendly', 'formal']);
export type ReplyTone = z.infer<typeof ReplyTone>;

export const ReplyTemplate = z.object({
  intent: LabelName.describe('The intent this template answers: a built-in one to override it, or a new one'),
  body: z
    .string()
    .trim()
    .min(1)
    .max(5_000)
    .describe(
      'The reply, with {{placeholder}} or {{placeholder|fallback}}: customer_name, agent_name, order ("order 48213"), order_number, date, amount, email, facts',
    ),
  examples: z
    .array(z.string().trim().min(1).max(2_000))
    .max(200)
    .optional()
    .describe('Messages this template answers; required for an intent that is not built in'),
});
export type ReplyTemplate = z.infer<typeof ReplyTemplate>;

export const LlmDraftReplyInput = z.object({
  message: languageText(maxDraftReplyTextLength, 'The message to answer, in English'),
  thread: z
    .array(z.object({ from: z.enum(['customer', 'agent']), text: z.string().max(maxDraftReplyTextLength) }))
    .max(50)
    .optional()
    .describe('Earlier messages, oldest first; names and order numbers are also looked up there'),
  tone: ReplyTone.default('friendly'),
  facts: z
    .array(z.string().trim().min(1).max(1_000))
    .max(20)
    .optional()
    .describe('Sentences the reply must include (a tracking link, a date the agent promises)'),
  constraints: z
    .object({
      max_words: z.number().int().min(10).max(1_000).optional(),
      customer_name: z.string().trim().min(1).max(100).optional(),
      agent_name: z.string().trim().min(1).max(100).optional(),
    })
    .optional(),
  templates: z
    .array(ReplyTemplate)
    .max(50)
    .optional()
    .describe('Added to, or overriding, the built-in library'),
});
export type LlmDraftReplyInput = z.infer<typeof LlmDraftReplyInput>;

export const LlmDraftReplyOutput = z.object({
  reply: z.string(),
  intent: z.string().describe('The intent the reply answers; "none" picks the general template'),
  confidence: z.number().min(0).max(1),
  template: z.enum(['built-in', 'caller']).describe('Whose template was used'),
  missing: z
    .array(z.string())
    .describe('Placeholders nothing filled: the template fell back to a generic phrase; worth a look'),
  method: z.enum(['template']).describe('`template`: picked by intent and filled with extracted entities'),
});
export type LlmDraftReplyOutput = z.infer<typeof LlmDraftReplyOutput>;

export const LlmDraftReply = defineJob({
  type: 'llm.draft-reply',
  queue: 'llm',
  summary:
    'Draft a reply to a customer message from a template library, picked by intent and filled with its details',
  input: LlmDraftReplyInput,
  output: LlmDraftReplyOutput,
  defaults: { attempts: 3, timeoutMs: 15_000 },
  errors: ['VALIDATION_FAILED', 'EXAMPLES_REQUIRED', 'LANGUAGE_UNSUPPORTED'],
  examples: [
    {
      message: 'Hi, my order 48213 has not arrived yet. Can you tell me when it will come?',
      tone: 'friendly',
      constraints: { agent_name: 'Sam' },
    },
  ],
});

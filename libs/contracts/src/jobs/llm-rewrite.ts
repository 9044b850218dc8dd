import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { GenerationInfo, llmText } from '../llm-generation.js';

/** 20 000 characters: about 5 000 tokens, which a rewrite doubles; longer texts are documents. */
export const maxRewriteTextLength = 20_000;

export const RewriteGoal = z
  .object({
    tone: z
      .string()
      .min(1)
      .max(60)
      .optional()
      .describe('The tone to write in, e.g. "friendly", "formal", "apologetic"'),
    length: z
      .enum(['shorter', 'similar', 'longer'])
      .optional()
      .describe('Length against the original (default: similar)'),
    audience: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Who will read it, e.g. "customers new to the product"'),
    plain_language: z.boolean().optional().describe('true: short sentences, everyday words, no jargon'),
  })
  .refine(
    (goal) => Object.values(goal).some((value) => value !== undefined && value !== false),
    'goal must ask for at least one change: tone, length, audience or plain_language',
  );
export type RewriteGoal = z.infer<typeof RewriteGoal>;

export const LlmRewriteInput = z.object({
  text: llmText(maxRewriteTextLength, 'The text to rewrite'),
  goal: RewriteGoal,
});
export type LlmRewriteInput = z.infer<typeof LlmRewriteInput>;

export const LlmRewriteOutput = z.object({
  text: z.string().describe('The rewritten text'),
  finish_reason: z
    .enum(['stop', 'length'])
    .describe('"length": the model hit its token budget and the text may be cut short'),
  ...GenerationInfo,
});
export type LlmRewriteOutput = z.infer<typeof LlmRewriteOutput>;

export const LlmRewrite = defineJob({
  type: 'llm.rewrite',
  queue: 'llm',
  summary:
    'Rewrite a text for a tone, length, audience or plain language with a generative LLM (streams the text as progress)',
  input: LlmRewriteInput,
  output: LlmRewriteOutput,
  defaults: { attempts: 3, timeoutMs: 180_000 },
  errors: [
    'VALIDATION_FAILED',
    'LLM_PROVIDER_REQUIRED',
    'LLM_PROVIDER_UNAVAILABLE',
    'LLM_PROVIDER_REJECTED',
    'MODEL_UNAVAILABLE',
  ],
  examples: [
    {
      text: 'Your ticket was closed because we could not reproduce the fault with the data you sent.',
      goal: { tone: 'friendly', audience: 'customers new to the product' },
    },
  ],
});

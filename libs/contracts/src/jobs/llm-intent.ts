import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { optionalGeneration } from '../llm-generation.js';
import { labelSet, languageText } from './language-text.js';

/** 20 000 characters: a long e-mail thread. */
export const maxIntentTextLength = 20_000;

export const LlmIntentInput = z.object({
  text: languageText(maxIntentTextLength, 'The message whose intent to detect'),
  intents: labelSet('intent').describe('The intents to choose from, each with examples'),
  min_confidence: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Below this the answer is `none`; the provider has its own default'),
});
export type LlmIntentInput = z.infer<typeof LlmIntentInput>;

const IntentScore = z.object({ name: z.string(), confidence: z.number().min(0).max(1) });

export const LlmIntentOutput = z.object({
  intent: z.string().describe('The best intent\'s name, or "none" when nothing fits'),
  confidence: z.number().min(0).max(1).describe('How close the text is to the best intent, 0..1'),
  runner_up: IntentScore.nullable().describe('The second-best intent; null with a single intent'),
  method: z
    .enum(['examples', 'llm'])
    .describe(
      '`examples`: similarity to the examples, learnt in process; `llm`: zero-shot by the configured generative provider',
    ),
  ...optionalGeneration,
});
export type LlmIntentOutput = z.infer<typeof LlmIntentOutput>;

export const LlmIntent = defineJob({
  type: 'llm.intent',
  queue: 'llm',
  summary: 'Detect which of the given intents a message expresses, or "none"',
  input: LlmIntentInput,
  output: LlmIntentOutput,
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
      text: 'Can I move my delivery to next Tuesday?',
      intents: [
        { name: 'reschedule', examples: ['Please deliver on another day', 'Can we change the date?'] },
        { name: 'cancel', examples: ['Cancel my order', 'I no longer want it'] },
      ],
    },
  ],
});

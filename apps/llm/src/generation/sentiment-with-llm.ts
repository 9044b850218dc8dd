import type { TokenUsage } from '@gantry/contracts';
import { type DetectLanguage, languageOf } from '../engine/detect-language.js';
import type { SentimentProvider, SentimentResult } from '../engine/sentiment-provider.js';
import type { GenerativeProvider } from '../providers/generative-provider.js';
import { generativeModel } from '../providers/generative-providers.js';
import { askForObject } from './ask-for-object.js';

const schema = {
  type: 'object',
  properties: {
    label: { enum: ['positive', 'negative', 'neutral'] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
  required: ['label', 'confidence'],
  additionalProperties: false,
};

/** A SentimentProvider on a generative LLM, for one job: `usage` sums every request it made. */
interface LlmSentimentProvider extends SentimentProvider {
  readonly usage: TokenUsage;
}

/**
 * Zero-shot sentiment as structured output: a label and the model's confidence in it. The score is
 * that confidence signed by the label (0 for neutral). The model reads any language it knows, so the
 * text is never refused as unsupported; `language` is still fastText's reading of it.
 */
export function createLlmSentimentProvider(
  provider: GenerativeProvider,
  detect: DetectLanguage,
): LlmSentimentProvider {
  const usage = { prompt_tokens: 0, completion_tokens: 0 };
  return {
    model: generativeModel(provider),
    usage,
    async analyze(text, { signal } = {}): Promise<SentimentResult> {
      const answer = await askForObject(
        provider,
        {
          system:
            'You rate the sentiment of customer texts: positive, negative or neutral (facts, notices, invoices, mixed feelings that cancel out), with your confidence from 0 to 1. Politeness does not make a complaint positive.',
          user: `<text>\n${text}\n</text>`,
          schema,
        },
        { maxTokens: 32, ...(signal ? { signal } : {}) },
      );
      usage.prompt_tokens += answer.usage.prompt_tokens;
      usage.completion_tokens += answer.usage.completion_tokens;
      const label = answer.data['label'] as SentimentResult['label'];
      const confidence = answer.data['confidence'] as number;
      return {
        label,
        score: label === 'positive' ? confidence : label === 'negative' ? -confidence : 0,
        confidence,
        language: languageOf(detect, text),
        language_supported: true,
      };
    },
  };
}

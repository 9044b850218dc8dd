import type { ModelInfo } from '@gantry/contracts';
import type { SentimentLabel } from './sentiment-model/index.js';

export interface SentimentResult {
  label: SentimentLabel;
  /** P(positive) − P(negative): −1 (clearly negative) … 1 (clearly positive). */
  score: number;
  /** Probability of `label`, 0..1; 0 when the language is not supported. */
  confidence: number;
  /** The language the text was read as (ISO 639-1 where it has a code); null when there is nothing to tell by. */
  language: string | null;
  /**
   * false: the text is in a language this provider does not read. It is then not classified
   * (label "neutral", score 0, confidence 0) rather than guessed at.
   */
  language_supported: boolean;
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
}

/**
 * Sentiment of a customer text. The embedded linear classifier is the default; LLM-backed
 * providers implement the same interface, so a handler never knows which one it runs.
 */
export interface SentimentProvider {
  readonly model: ModelInfo;
  analyze(text: string, options?: AnalyzeOptions): Promise<SentimentResult>;
}

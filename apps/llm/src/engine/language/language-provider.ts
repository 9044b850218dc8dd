import type {
  LlmClassifyInput,
  LlmClassifyOutput,
  LlmDraftReplyInput,
  LlmDraftReplyOutput,
  LlmIntentInput,
  LlmIntentOutput,
  LlmSummarizeOutput,
  LlmTagsInput,
  LlmTagsOutput,
  ModelInfo,
} from '@gantry/contracts';
import type { SummarizeOptions } from './summarize-locally.js';

export interface LanguageCallOptions {
  signal?: AbortSignal;
  /** 0..100 and a message, e.g. per chunk of a long text. */
  progress?: (pct: number, message?: string) => void;
}

/**
 * The language job types as one engine. The embedded `local` provider implements it with
 * classical NLP (`createLocalLanguageProvider`); a generative provider implements the same
 * methods, so a handler never knows which one it runs, and `method` in each output says.
 */
export interface LanguageProvider {
  readonly model: ModelInfo;
  summarize(text: string, options: SummarizeOptions, call?: LanguageCallOptions): Promise<LlmSummarizeOutput>;
  tags(input: LlmTagsInput, call?: LanguageCallOptions): Promise<LlmTagsOutput>;
  intent(input: LlmIntentInput, call?: LanguageCallOptions): Promise<LlmIntentOutput>;
  classify(input: LlmClassifyInput, call?: LanguageCallOptions): Promise<LlmClassifyOutput>;
  draftReply(input: LlmDraftReplyInput, call?: LanguageCallOptions): Promise<LlmDraftReplyOutput>;
}

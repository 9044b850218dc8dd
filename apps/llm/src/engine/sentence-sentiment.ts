import type { LlmSentimentOutput } from '@gantry/contracts';
import type { ReadEnglish } from './language/english-nlp.js';
import type { SentimentProvider } from './sentiment-provider.js';

type SentenceSentiment = NonNullable<LlmSentimentOutput['sentences']>[number];

/** Each sentence of the text classified on its own, with its offsets; punctuation-only ones are left out. */
export async function sentimentBySentence(
  sentiment: SentimentProvider,
  read: ReadEnglish,
  text: string,
  signal?: AbortSignal,
): Promise<SentenceSentiment[]> {
  const result: SentenceSentiment[] = [];
  for (const sentence of read(text).sentences) {
    if (!/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(sentence.text)) continue;
    const { label, score, confidence } = await sentiment.analyze(sentence.text, signal ? { signal } : {});
    result.push({ text: sentence.text, start: sentence.start, end: sentence.end, label, score, confidence });
  }
  return result;
}

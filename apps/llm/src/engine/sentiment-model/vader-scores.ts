import { createRequire } from 'node:module';

/** What VADER says about a text: shares of negative, neutral and positive wording, and a compound in [-1, 1]. */
interface VaderPolarity {
  neg: number;
  neu: number;
  pos: number;
  compound: number;
}

// vader-sentiment (Apache-2.0) ships VADER's human-rated lexicon (MIT; ~7,500 words, emoticons and
// slang, each the mean of ten raters) with its rules for negation, "but", boosters, capitals and
// "!". It is a CommonJS bundle without types, hence require and the shape above.
const { SentimentIntensityAnalyzer } = createRequire(import.meta.url)('vader-sentiment') as {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): VaderPolarity };
};

/** Sentence ends, so that one angry sentence in a polite letter still counts. */
const sentenceEnd = /(?<=[.!?…])\s+(?=\S)|\n+/u;

/**
 * VADER's verdict on the whole text and on its sentences, as named values: a rater-built prior
 * that carries across writing styles where the corpus's own words do not (a news item, an invoice
 * note). `flat` marks texts without any rated word, which are mostly neutral statements of fact.
 */
export function vaderScores(text: string): Map<string, number> {
  const whole = SentimentIntensityAnalyzer.polarity_scores(text);
  const sentences = text
    .split(sentenceEnd)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '')
    .map((sentence) => SentimentIntensityAnalyzer.polarity_scores(sentence).compound);
  const lowest = Math.min(0, ...sentences);
  const highest = Math.max(0, ...sentences);
  const last = sentences.at(-1) ?? 0;
  const scores = new Map<string, number>([
    ['compound_positive', Math.max(0, whole.compound)],
    ['compound_negative', Math.max(0, -whole.compound)],
    ['share_positive', whole.pos],
    ['share_negative', whole.neg],
    ['sentence_most_negative', -lowest],
    ['sentence_most_positive', highest],
    ['last_sentence_positive', Math.max(0, last)],
    ['last_sentence_negative', Math.max(0, -last)],
  ]);
  if (whole.pos === 0 && whole.neg === 0) scores.set('flat', 1);
  return new Map([...scores].filter(([, value]) => value > 0));
}

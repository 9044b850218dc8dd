import {
  courtesyPhrases,
  negativeIdioms,
  negativeWords,
  positiveIdioms,
  positiveWords,
} from './sentiment-lexicon.js';
import type { TextTokens } from './tokenise-text.js';

export interface LexiconScores {
  /** Positive words outside a negation, plus positive idioms and (half-weighted) negated negatives. */
  positive: number;
  /** Negative words outside a negation, plus negative idioms and negated positives ("not happy"). */
  negative: number;
  counts: Map<string, number>;
}

/** What follows these usually carries the verdict: "the app is nice but support ignored me". */
const contrastMarkers = new Set([
  'but',
  'however',
  'though',
  'although',
  'sadly',
  'unfortunately',
  'shame',
  'pity',
]);

function markIdioms(tokens: readonly string[], idioms: readonly (readonly string[])[], covered: boolean[]) {
  let found = 0;
  for (let i = 0; i < tokens.length; i++) {
    for (const idiom of idioms) {
      if (idiom.every((word, k) => tokens[i + k] === word && !covered[i + k])) {
        idiom.forEach((_, k) => (covered[i + k] = true));
        found++;
      }
    }
  }
  return found;
}

/** Counts lexicon hits; words inside an idiom count only as the idiom ("couldn't be happier" is not a negated "happier"). */
export function lexiconScores({ tokens, negated }: TextTokens): LexiconScores {
  const covered = tokens.map(() => false);
  markIdioms(tokens, courtesyPhrases, covered);
  const idiomPositive = markIdioms(tokens, positiveIdioms, covered);
  const idiomNegative = markIdioms(tokens, negativeIdioms, covered);
  let positive = 0;
  let negative = 0;
  let positiveNegated = 0;
  let negativeNegated = 0;
  let contrast = false;
  let positiveAfterContrast = 0;
  let negativeAfterContrast = 0;
  tokens.forEach((token, i) => {
    if (contrastMarkers.has(token)) {
      contrast = true;
      positiveAfterContrast = 0;
      negativeAfterContrast = 0;
    }
    if (covered[i]) return;
    const isPositive = positiveWords.has(token) !== negated[i];
    if (!positiveWords.has(token) && !negativeWords.has(token)) return;
    if (positiveWords.has(token)) {
      if (negated[i]) positiveNegated++;
      else positive++;
    } else if (negated[i]) negativeNegated++;
    else negative++;
    if (isPositive) positiveAfterContrast++;
    else negativeAfterContrast++;
  });
  const counts = new Map(
    Object.entries({
      positive,
      negative,
      positive_negated: positiveNegated,
      negative_negated: negativeNegated,
      idiom_positive: idiomPositive,
      idiom_negative: idiomNegative,
      positive_after_contrast: contrast ? positiveAfterContrast : 0,
      negative_after_contrast: contrast ? negativeAfterContrast : 0,
    }).filter(([, count]) => count > 0),
  );
  return {
    positive: positive + idiomPositive + 0.5 * negativeNegated,
    negative: negative + idiomNegative + positiveNegated,
    counts,
  };
}

import { featureHash } from './feature-hash.js';
import { lexiconScores } from './lexicon-scores.js';
import { sentimentCues } from './sentiment-cues.js';
import { tokeniseText } from './tokenise-text.js';
import { vaderScores } from './vader-scores.js';

/**
 * Bumped whenever `extractFeatures` changes what it produces for the same text, so that a model
 * trained on the old features is refused instead of silently scoring garbage.
 */
export const featureVersion = 2;

export interface FeatureConfig {
  version: number;
  /** The weight table has 2^hashBits slots. */
  hashBits: number;
  /** Character n-grams (within words, with `<` `>` marking word edges) of these lengths. */
  charNgrams: { min: number; max: number };
  /** Each group is scaled by its weight after word, bigram and character groups are L2-normalised. */
  weights: { word: number; bigram: number; char: number; cue: number; lexicon: number; vader: number };
}

export const defaultFeatureConfig: FeatureConfig = {
  version: featureVersion,
  hashBits: 20,
  charNgrams: { min: 3, max: 5 },
  weights: { word: 1, bigram: 0.6, char: 1, cue: 1, lexicon: 0.6, vader: 2 },
};

/** Slot indices of the weight table, each with its value; a slot appears once. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

const isWord = (token: string) =>
  /^\p{L}/u.test(token) && !token.startsWith('tok_') && !token.startsWith('emo_');

function charNgrams(tokens: readonly string[], { min, max }: FeatureConfig['charNgrams']): Set<string> {
  const grams = new Set<string>();
  for (const token of tokens) {
    if (!isWord(token)) continue;
    const padded = `<${token}>`;
    for (let n = min; n <= max; n++) {
      for (let i = 0; i + n <= padded.length; i++) grams.add(padded.slice(i, i + n));
    }
  }
  return grams;
}

function normalised(names: Iterable<string>, weight: number): Map<string, number> {
  const unique = [...new Set(names)];
  const value = unique.length > 0 ? weight / Math.sqrt(unique.length) : 0;
  return new Map(unique.map((name) => [name, value]));
}

function scaled(counts: Map<string, number>, weight: number): Map<string, number> {
  return new Map([...counts].map(([name, count]) => [name, weight * Math.log1p(count)]));
}

/** Turns a text into the hashed, signed feature vector the linear sentiment model scores. */
export function extractFeatures(text: string, config: FeatureConfig): SparseVector {
  const tokenised = tokeniseText(text);
  const { tokens, negated } = tokenised;
  const lexicon = lexiconScores(tokenised);
  const net = Math.tanh((lexicon.positive - lexicon.negative) / 2);
  const lexiconCounts = scaled(lexicon.counts, config.weights.lexicon);
  if (lexicon.positive + lexicon.negative === 0) lexiconCounts.set('none', config.weights.lexicon);
  else if (net !== 0) lexiconCounts.set('net', config.weights.lexicon * net);
  const bounded = ['<s>', ...tokens, '</s>'];
  const groups: [string, Map<string, number>][] = [
    [
      'w',
      normalised(
        tokens.map((token, i) => (negated[i] ? `NEG_${token}` : token)),
        config.weights.word,
      ),
    ],
    [
      'b',
      normalised(
        bounded.slice(1).map((token, i) => `${bounded[i]} ${token}`),
        config.weights.bigram,
      ),
    ],
    ['c', normalised(charNgrams(tokens, config.charNgrams), config.weights.char)],
    ['q', scaled(sentimentCues(text, tokenised, lexicon), config.weights.cue)],
    ['l', lexiconCounts],
    ['v', new Map([...vaderScores(text)].map(([name, value]) => [name, config.weights.vader * value]))],
  ];
  const slots = new Map<number, number>();
  for (const [group, features] of groups) {
    for (const [name, value] of features) {
      const { index, sign } = featureHash(`${group}:${name}`, config.hashBits);
      slots.set(index, (slots.get(index) ?? 0) + sign * value);
    }
  }
  return { indices: [...slots.keys()], values: [...slots.values()] };
}

import type { TextToken } from './english-nlp.js';

const phrasePos = new Set(['NOUN', 'PROPN', 'ADJ']);
const headPos = new Set(['NOUN', 'PROPN']);
const maxPhraseWords = 4;

interface Phrase {
  text: string;
  stems: string[];
  count: number;
  first: number;
}

/**
 * Key phrases in the manner of RAKE (Rose et al., 2010), on wink's POS tags: candidates are runs
 * of adjectives and nouns ending in a noun ("late delivery", "customer service team"); a phrase
 * scores by how often its words occur across the text, times how often the phrase itself does.
 */
export function extractKeywords(
  tokens: readonly TextToken[],
  max: number,
  entities: readonly { start: number; end: number }[] = [],
): { text: string; score: number }[] {
  // Amounts, IBANs, dates and addresses are entities, not topics: they break a phrase.
  const inEntity = (token: TextToken) => entities.some((e) => token.start < e.end && e.start < token.end);
  const phrases = new Map<string, Phrase>();
  const stemCounts = new Map<string, number>();
  let run: TextToken[] = [];
  const close = () => {
    while (run.length > 0 && !headPos.has(run.at(-1)?.pos ?? '')) run.pop();
    if (run.length > 0) {
      const words = run.slice(-maxPhraseWords);
      const key = words.map((t) => t.stem).join(' ');
      const existing = phrases.get(key);
      if (existing) existing.count++;
      else
        phrases.set(key, {
          text: words.map((t) => (t.pos === 'PROPN' ? t.value : t.normal)).join(' '),
          stems: words.map((t) => t.stem),
          count: 1,
          first: words[0]?.start ?? 0,
        });
    }
    run = [];
  };
  for (const token of tokens) {
    const usable =
      token.type === 'word' &&
      !token.stopWord &&
      token.value.length > 1 &&
      !/\d/.test(token.value) &&
      !inEntity(token);
    if (usable) stemCounts.set(token.stem, (stemCounts.get(token.stem) ?? 0) + 1);
    if (usable && phrasePos.has(token.pos)) run.push(token);
    else close();
  }
  close();
  const scored = [...phrases.values()].map((phrase) => ({
    phrase,
    raw: phrase.count * phrase.stems.reduce((sum, stem) => sum + (stemCounts.get(stem) ?? 0), 0),
  }));
  const best = Math.max(0, ...scored.map((s) => s.raw));
  return scored
    .sort((a, b) => b.raw - a.raw || a.phrase.first - b.phrase.first)
    .slice(0, max)
    .map(({ phrase, raw }) => ({ text: phrase.text, score: Math.round((raw / best) * 1e4) / 1e4 }));
}

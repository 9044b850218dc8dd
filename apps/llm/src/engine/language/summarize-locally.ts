import type { SummaryLength, SummarySentence, SummaryStyle } from '@gantry/contracts';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { ReadEnglish } from './english-nlp.js';
import { cosine, inverseDocumentFrequency, type TermVector, termsOf, tfIdfVector } from './term-vectors.js';
import { textRank } from './text-rank.js';

export interface SummarizeOptions {
  length: SummaryLength;
  style: SummaryStyle;
}

export interface SummarizeHooks {
  read: ReadEnglish;
  signal?: AbortSignal;
  /** Called after each chunk of a long text is ranked (the map step). */
  onProgress?: (done: number, total: number) => void;
}

export interface Summary {
  summary: string;
  sentences: SummarySentence[];
  chunks: number;
}

/** Texts up to this many characters are ranked as one graph; longer ones are split (map-reduce). */
export const chunkCharacters = 8_000;
/** Sentences with fewer words are headings or fragments: never picked while longer ones exist. */
const minSentenceWords = 4;
/** A candidate this similar to a sentence already picked says the same thing again. */
const maxOverlap = 0.6;
/** How much a random jump favours the opening sentences (PositionRank's lean), see `textRank`. */
const positionLean = 1;

interface Candidate {
  text: string;
  start: number;
  end: number;
  /** Order in the whole text, for the position lean. */
  index: number;
  terms: string[];
  words: number;
  score: number;
  vector?: TermVector;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

function sentencesOf(read: ReadEnglish, text: string, offset: number, firstIndex: number): Candidate[] {
  const { tokens, sentences } = read(text);
  return sentences
    .map((sentence, i) => {
      const clean = sentence.text.replace(/\s+/g, ' ').trim();
      // wink makes a line break a token of the sentence after it: the offsets leave out the whitespace
      // `clean` drops at either end, so a sentence of an OCR text (one line a row) starts at its first word.
      const leading = sentence.text.length - sentence.text.trimStart().length;
      const trailing = sentence.text.length - sentence.text.trimEnd().length;
      return {
        text: clean,
        start: offset + sentence.start + leading,
        end: offset + sentence.end - trailing,
        index: firstIndex + i,
        terms: termsOf(tokens.slice(...sentence.tokens)),
        words: wordCount(clean),
        score: 0,
      };
    })
    .filter((candidate) => candidate.text !== '');
}

/** Scores candidates in place by TextRank over their TF-IDF vectors, leaning towards the opening. */
function rank(candidates: Candidate[]): void {
  const idf = inverseDocumentFrequency(candidates.map((c) => c.terms));
  for (const candidate of candidates) candidate.vector = tfIdfVector(candidate.terms, idf);
  const scores = textRank(
    candidates.map((c) => c.vector ?? new Map()),
    { teleport: candidates.map((c) => 1 + positionLean / Math.sqrt(1 + c.index)) },
  );
  candidates.forEach((candidate, i) => (candidate.score = scores[i] ?? 0));
}

function truncateWords(text: string, words: number): string {
  return `${text.split(/\s+/).filter(Boolean).slice(0, words).join(' ')}…`;
}

/** Best-ranked sentences within the budget, none repeating another, in source order. */
function pick(candidates: readonly Candidate[], length: SummaryLength): Candidate[] {
  const long = candidates.filter((c) => c.words >= minSentenceWords);
  const pool = [...(long.length > 0 ? long : candidates)].sort(
    (a, b) => b.score - a.score || a.index - b.index,
  );
  const picked: Candidate[] = [];
  let wordsLeft = 'words' in length ? length.words : Infinity;
  const sentencesWanted = 'sentences' in length ? length.sentences : Infinity;
  for (const candidate of pool) {
    if (picked.length >= sentencesWanted) break;
    if (candidate.words > wordsLeft) continue;
    const vector = candidate.vector ?? new Map();
    if (picked.some((p) => cosine(p.vector ?? new Map(), vector) > maxOverlap)) continue;
    picked.push(candidate);
    wordsLeft -= candidate.words;
  }
  const best = pool[0];
  if (picked.length === 0 && best && 'words' in length) {
    picked.push({ ...best, text: truncateWords(best.text, length.words) });
  }
  return picked.sort((a, b) => a.index - b.index);
}

/** How many sentences each chunk hands to the reduce step. */
function perChunk(length: SummaryLength): number {
  const wanted = 'sentences' in length ? length.sentences : Math.ceil(length.words / 15);
  return Math.max(3, wanted * 2);
}

/**
 * The local provider's summary: extractive, TextRank over the sentences of the text. A text past
 * `chunkCharacters` is split on paragraph and sentence boundaries (LangChain's recursive splitter),
 * each chunk ranked on its own (map), and the chunks' best sentences ranked again together (reduce).
 */
export async function summarizeLocally(
  text: string,
  options: SummarizeOptions,
  hooks: SummarizeHooks,
): Promise<Summary> {
  const { read, signal, onProgress } = hooks;
  let candidates: Candidate[];
  let chunks = 1;
  if (text.length <= chunkCharacters) {
    candidates = sentencesOf(read, text, 0, 0);
    rank(candidates);
  } else {
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: chunkCharacters, chunkOverlap: 0 });
    const parts = await splitter.splitText(text);
    chunks = parts.length;
    candidates = [];
    let cursor = 0;
    let index = 0;
    for (const [done, part] of parts.entries()) {
      signal?.throwIfAborted();
      // The splitter trims its chunks; find each in the text to keep offsets into the source.
      const found = text.indexOf(part, cursor);
      const offset = found === -1 ? cursor : found;
      cursor = offset + part.length;
      const sentences = sentencesOf(read, part, offset, index);
      index += sentences.length;
      rank(sentences);
      candidates.push(...[...sentences].sort((a, b) => b.score - a.score).slice(0, perChunk(options.length)));
      onProgress?.(done + 1, parts.length);
    }
    rank(candidates);
  }
  signal?.throwIfAborted();
  const picked = pick(candidates, options.length);
  const summary =
    options.style === 'bullets'
      ? picked.map((p) => `- ${p.text}`).join('\n')
      : picked.map((p) => p.text).join(' ');
  return {
    summary,
    sentences: picked.map((p) => ({
      text: p.text,
      start: p.start,
      end: p.end,
      score: Math.round(p.score * 1e4) / 1e4,
    })),
    chunks,
  };
}

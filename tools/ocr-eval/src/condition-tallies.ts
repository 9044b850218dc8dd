import { characterErrorRate } from '@gantry/ocr-worker/testing';

/** Edits and characters over every page of a condition, for a micro CER, and the seconds they took. */
export interface Tally {
  edits: number;
  chars: number;
  seconds: number;
  pages: number;
}

/** Tallies by key: `<set>: <condition>`, and `<set>: all` for every page of a set. */
export type Tallies = Map<string, Tally>;

/** A page with its ground truth, as the evaluation groups it. */
export interface ScoredPage {
  set: string;
  condition: string;
  truth: string;
}

export const conditionOf = (page: ScoredPage): string => `${page.set}: ${page.condition}`;

/** Characters of the truth as characterErrorRate counts them: whitespace runs collapsed. */
const normalisedLength = (text: string): number => text.replace(/\s+/g, ' ').trim().length;

function add(tallies: Tallies, key: string, edits: number, chars: number, seconds: number): void {
  const tally = tallies.get(key) ?? { edits: 0, chars: 0, seconds: 0, pages: 0 };
  tally.edits += edits;
  tally.chars += chars;
  tally.seconds += seconds;
  tally.pages += 1;
  tallies.set(key, tally);
}

/**
 * Scores a page's text against its truth and counts it under its condition and its set's "all".
 * The CER goes back to edits, so a condition's CER is all its edits over all its characters: a long
 * page weighs more than a short one. Returns the page's own CER.
 */
export function tallyPage(tallies: Tallies, page: ScoredPage, text: string, seconds: number): number {
  const cer = characterErrorRate(text, page.truth);
  const chars = normalisedLength(page.truth);
  add(tallies, conditionOf(page), cer * chars, chars, seconds);
  add(tallies, `${page.set}: all`, cer * chars, chars, seconds);
  return cer;
}

export const percent = (tally: Tally | undefined): string =>
  tally ? `${((100 * tally.edits) / tally.chars).toFixed(1)} %` : 'n/a';

const perPage = (tally: Tally | undefined): string =>
  tally ? `${(tally.seconds / tally.pages).toFixed(2)} s` : 'n/a';

/**
 * The comparison as a Markdown table, one row per key: pages and characters as tesseract.js read
 * them, then each reader's CER and seconds per page ("n/a" where a reader has no page of the
 * condition: the CLI reads no PDF, and neither native column exists without the CLI).
 */
export function conditionTable(
  keys: readonly string[],
  readers: { tesseractJs: Tallies; native: Tallies; cli: Tallies },
): string[] {
  const rows = keys.map((key) => {
    const [ours, native, theirs] = [readers.tesseractJs, readers.native, readers.cli].map((t) => t.get(key));
    return `| ${key} | ${ours?.pages ?? 0} | ${ours?.chars ?? 0} | ${percent(ours)} | ${percent(native)} | ${percent(theirs)} | ${perPage(ours)}, ${perPage(native)}, ${perPage(theirs)} |`;
  });
  return [
    '| condition | pages | characters | `ocr.extract` tesseract.js | `ocr.extract` native engine | native CLI | s/page: tesseract.js, native engine, CLI |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ];
}

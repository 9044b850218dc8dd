/** Lower-case words and numbers: how ROUGE tokenises (Lin, 2004), without stemming. */
const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function longestCommonSubsequence(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const word of a) {
    const current = [0];
    for (let j = 0; j < b.length; j++) {
      current.push(word === b[j] ? (previous[j] ?? 0) + 1 : Math.max(previous[j + 1] ?? 0, current[j] ?? 0));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** ROUGE-L F1 of a candidate summary against a reference: longest common word subsequence. */
export function rougeL(candidate: string, reference: string): number {
  const c = wordsOf(candidate);
  const r = wordsOf(reference);
  const lcs = longestCommonSubsequence(c, r);
  if (lcs === 0) return 0;
  const precision = lcs / c.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}

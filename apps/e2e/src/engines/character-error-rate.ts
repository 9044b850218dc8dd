const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Edit distance between the texts after collapsing whitespace runs to one space, divided by the
 * length of the expected text: the measure shared/fixtures/ocr/NOTES.md uses.
 */
export function characterErrorRate(actual: string, expected: string): number {
  const a = normalise(actual);
  const b = normalise(expected);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return (previous[b.length] ?? 0) / Math.max(b.length, 1);
}

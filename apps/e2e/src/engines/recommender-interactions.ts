/** JSONL: readers (r*) take books, viewers (v*) take films, each 3 of 8; one interaction per line. */
export function interactionsJsonl(): Uint8Array {
  const lines: string[] = [];
  for (let u = 0; u < 60; u += 1) {
    const [user, prefix] = u < 30 ? [`r${u}`, 'book'] : [`v${u}`, 'film'];
    for (let i = 0; i < 3; i += 1) {
      lines.push(JSON.stringify({ who: user, what: `${prefix}-${(u * 3 + i * 5) % 8}`, at: u * 10 + i }));
    }
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

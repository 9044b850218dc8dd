/**
 * The recent output of every process a test file starts, on one timeline. Kept in memory and
 * printed only when something fails, so a passing run stays quiet and a failing one explains itself.
 */
export class LogBuffer {
  private readonly lines: string[] = [];

  constructor(private readonly maxLines = 600) {}

  add(source: string, text: string): void {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      // Stack traces of a reconnect loop are long and alike; the head of a line says enough.
      const shown = line.length > 400 ? `${line.slice(0, 400)}…` : line;
      this.lines.push(`${new Date().toISOString().slice(11, 23)} [${source}] ${shown}`);
      if (this.lines.length > this.maxLines) this.lines.shift();
    }
  }

  /** The last `count` lines, optionally of one source only. */
  tail(count = 60, source?: string): string {
    const lines = source ? this.lines.filter((line) => line.includes(` [${source}] `)) : this.lines;
    return lines.slice(-count).join('\n');
  }

  print(title: string): void {
    process.stderr.write(
      `\n----- ${title}: last ${this.lines.length} log lines -----\n${this.tail(this.maxLines)}\n-----\n`,
    );
  }
}

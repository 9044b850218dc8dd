/** One part of the report: a heading, and markdown (tables and notes) under it. */
export interface Section {
  title: string;
  lines: string[];
}

/** A table padded the way Prettier pads one, so results.md passes `prettier --check` as written. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, i) =>
    Math.max(3, header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, i) => (cells[i] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** A number for a table: fewer decimals as it grows; a dash when there is none. */
export function num(value: number | null | undefined, decimals?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const digits = decimals ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toFixed(digits);
}

export const percent = (ratio: number) => (Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)} %` : '–');

export const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MiB`;

/** A target's outcome; a miss is reported, never thrown: benchmarks report, tests assert. */
export const verdict = (met: boolean) => (met ? '**PASS**' : '**FAIL**');

/** The middle value (the mean of the middle two when there is an even number); NaN when there is none. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

/** `median (min–max)` over the rounds; the median alone when there was one round. */
export const spread = (values: readonly number[], format: (value: number) => string): string =>
  values.length < 2
    ? format(median(values))
    : `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;

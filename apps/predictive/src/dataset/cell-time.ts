import type { CellValue } from './read-dataset.js';

/** A time cell as a number to order rows by: a number (CSV's "1712" too) or an RFC 3339 date-time; NaN if neither. */
export function cellTime(raw: CellValue | undefined): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string' || raw.trim() === '') return Number.NaN;
  const number = Number(raw);
  return Number.isFinite(number) ? number : Date.parse(raw);
}

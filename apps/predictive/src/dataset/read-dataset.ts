import { GantryError } from '@gantry/contracts';
import { parse } from 'csv-parse/sync';

export type CellValue = string | number | boolean | null;

export interface DatasetRow {
  /** 1-based line of the file the row ends on (the CSV header is line 1). */
  line: number;
  values: Record<string, CellValue>;
}

export interface MalformedRow {
  line: number;
  reason: string;
}

export interface Dataset {
  /** As asked, or guessed from the first character. */
  format: 'csv' | 'jsonl';
  rows: DatasetRow[];
  /** Rows that could not be read at all (bad quoting, wrong number of fields, bad JSON). */
  malformed: MalformedRow[];
}

/** Reads a CSV (header row first) or JSONL (one object per line) file into rows; never throws for a row. */
export function readDataset(bytes: Uint8Array, format?: 'csv' | 'jsonl'): Dataset {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const chosen = format ?? (text.trimStart().startsWith('{') ? 'jsonl' : 'csv');
  return { format: chosen, ...(chosen === 'jsonl' ? readJsonLines(text) : readCsv(text)) };
}

function readCsv(text: string): Omit<Dataset, 'format'> {
  const malformed: MalformedRow[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: true,
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      // A bad row is collected with its line, so the policy (fail or skip) can name every one of them.
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error)
          malformed.push({
            line: typeof error['lines'] === 'number' ? error['lines'] : 0,
            reason: error.message,
          });
      },
    });
  } catch (error) {
    // Only a broken header gets here: no row can be read without it.
    throw new GantryError('DATASET_INVALID', `the CSV header cannot be read: ${(error as Error).message}`, {
      details: { line: 1 },
    });
  }
  return { rows: records.map(({ record, info }) => ({ line: info.lines, values: record })), malformed };
}

function readJsonLines(text: string): Omit<Dataset, 'format'> {
  const rows: DatasetRow[] = [];
  const malformed: MalformedRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      malformed.push({ line, reason: `not JSON: ${(error as Error).message}` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      malformed.push({ line, reason: 'not a JSON object' });
      return;
    }
    rows.push({ line, values: value as Record<string, CellValue> });
  });
  return { rows, malformed };
}

/**
 * Applies the caller's policy to the rows that could not be used: `fail` names every one (the first 100)
 * in a DATASET_INVALID error; `skip` hands them back to be reported.
 */
export function applyMalformedPolicy(
  malformed: readonly MalformedRow[],
  policy: 'fail' | 'skip',
): MalformedRow[] {
  const sorted = [...malformed].sort((a, b) => a.line - b.line);
  if (policy === 'fail' && sorted.length > 0) {
    const first = sorted[0];
    throw new GantryError(
      'DATASET_INVALID',
      `${sorted.length} malformed row(s), the first on line ${first?.line}: ${first?.reason} ` +
        '(set on_malformed to "skip" to train without them)',
      { details: { rows: sorted.slice(0, 100) } },
    );
  }
  return sorted.slice(0, 100);
}

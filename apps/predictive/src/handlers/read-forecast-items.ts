import {
  ForecastBatchItem,
  findForecastBatchIssues,
  forecastBatchLimits,
  GantryError,
  type PredictiveForecastBatchInput,
} from '@gantry/contracts';
import { type DatasetRow, readDataset } from '../dataset/read-dataset.js';

/** A problem of the file: its 1-based line where one line holds it, the item's id, the path within the item. */
interface FileIssue {
  line?: number | undefined;
  item?: string | undefined;
  path: (string | number)[];
  message: string;
}

type FileOptions = Pick<
  PredictiveForecastBatchInput,
  'format' | 'id_column' | 'timestamp_column' | 'value_column' | 'horizon' | 'frequency' | 'season_length'
>;

/** Every item read, with the line of each of its points (JSONL: the item's line for all of them). */
interface ReadItems {
  items: ForecastBatchItem[];
  lines: number[][];
}

/**
 * The items of a `predictive.forecast-batch` file, checked as the gateway checks posted items: JSONL is
 * one item per line, CSV one point per row (a series' rows in time order, series in order of first row).
 * SERIES_INVALID names every problem's line (the first 100), so a 40 MB file is fixed in one pass.
 */
export function readForecastItems(bytes: Uint8Array, options: FileOptions): ForecastBatchItem[] {
  // Counted before parsing: a 47 MB CSV of 2 million rows took 1.7 GB as parsed rows, only to fail the limit.
  const lineCount = countLines(bytes);
  if (lineCount > forecastBatchLimits.maxTotalPoints + 2) {
    throw seriesInvalid([
      {
        path: [],
        message: `the file has ${lineCount} lines; one job reads at most ${forecastBatchLimits.maxTotalPoints} points (a CSV row each)`,
      },
    ]);
  }
  const { format, rows, malformed } = readDataset(bytes, options.format);
  const issues: FileIssue[] = malformed.map(({ line, reason }) => ({ line, path: [], message: reason }));
  const read = format === 'csv' ? fromCsvRows(rows, options, issues) : fromJsonLines(rows, issues);
  if (issues.length === 0 && read.items.length === 0) {
    issues.push({ path: [], message: 'the file holds no series' });
  }
  // The items that were read are checked even when others were not, so one pass names every problem.
  for (const { path, message } of findForecastBatchIssues(read.items, options)) {
    const [index, ...within] = path;
    if (typeof index !== 'number') {
      issues.push({ path, message });
      continue;
    }
    issues.push({
      line: lineOf(read.lines[index], within),
      item: read.items[index]?.id,
      path: within,
      message,
    });
  }
  if (issues.length > 0) throw seriesInvalid(issues);
  return read.items;
}

function fromJsonLines(rows: readonly DatasetRow[], issues: FileIssue[]): ReadItems {
  const read: ReadItems = { items: [], lines: [] };
  for (const { line, values } of rows) {
    const parsed = ForecastBatchItem.safeParse(values);
    if (!parsed.success) {
      const item = typeof values['id'] === 'string' ? values['id'] : undefined;
      for (const issue of parsed.error.issues) {
        issues.push({ line, item, path: issue.path.map(pathKey), message: issue.message });
      }
      continue;
    }
    read.items.push(parsed.data);
    read.lines.push(parsed.data.series.map(() => line));
  }
  return read;
}

function fromCsvRows(rows: readonly DatasetRow[], options: FileOptions, issues: FileIssue[]): ReadItems {
  if (rows.length === 0) return { items: [], lines: [] };
  const columns = [options.id_column, options.timestamp_column, options.value_column];
  const header = Object.keys(rows[0]?.values ?? {});
  const missing = columns.filter((column) => !header.includes(column));
  const extra = header.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    issues.push({
      line: 1,
      path: [],
      message: `the CSV has no column ${missing.join(', ')} (its columns: ${header.join(', ')})`,
    });
  }
  if (extra.length > 0) {
    // Covariates need their future values beside the series: a JSONL item carries both, a CSV row cannot.
    issues.push({
      line: 1,
      path: [],
      message: `the CSV columns ${extra.join(', ')} are not read: send covariates as JSONL items`,
    });
  }
  if (issues.length > 0) return { items: [], lines: [] };
  const byId = new Map<string, { points: Record<string, unknown>[]; lines: number[] }>();
  for (const { line, values } of rows) {
    const id = String(values[options.id_column] ?? '');
    const raw = values[options.value_column];
    const series = byId.get(id) ?? { points: [], lines: [] };
    series.points.push({
      timestamp: values[options.timestamp_column],
      // CSV cells are text; one that is not a number stays as written, for the error to quote.
      value: typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw,
    });
    series.lines.push(line);
    byId.set(id, series);
  }
  const read: ReadItems = { items: [], lines: [] };
  for (const [id, { points, lines }] of byId) {
    const parsed = ForecastBatchItem.safeParse({ id, series: points });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(pathKey);
        issues.push({ line: lineOf(lines, path), item: id, path, message: issue.message });
      }
      continue;
    }
    read.items.push(parsed.data);
    read.lines.push(lines);
  }
  return read;
}

function countLines(bytes: Uint8Array): number {
  let lines = 1;
  for (const byte of bytes) if (byte === 0x0a) lines += 1;
  return lines;
}

/** The line of a point's problem, or of the item's first point for a problem of the whole item. */
const lineOf = (lines: readonly number[] | undefined, [field, point]: readonly (string | number)[]) =>
  field === 'series' && typeof point === 'number' ? lines?.[point] : lines?.[0];

const pathKey = (key: PropertyKey): string | number => (typeof key === 'number' ? key : String(key));

function seriesInvalid(issues: readonly FileIssue[]): GantryError {
  const sorted = [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const [first] = sorted;
  const where = first?.line === undefined ? '' : ` on line ${first.line}`;
  return new GantryError(
    'SERIES_INVALID',
    `the file cannot be forecast: ${sorted.length} problem(s), the first${where}: ${first?.message ?? ''}`,
    {
      details: {
        issues: sorted.slice(0, 100).map(({ line, item, path, message }) => ({
          line: line ?? null,
          item: item ?? null,
          path,
          message,
        })),
      },
    },
  );
}

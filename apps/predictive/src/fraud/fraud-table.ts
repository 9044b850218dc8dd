import { GantryError, type PredictiveTrainFraudInput } from '@gantry/contracts';
import { cellTime } from '../dataset/cell-time.js';
import type { CellValue, Dataset, MalformedRow } from '../dataset/read-dataset.js';

export interface FraudColumn {
  name: string;
  type: 'number' | 'category';
}

/** The usable rows of a labelled dataset, typed, in time order (file order without a time column). */
export interface FraudTable {
  columns: FraudColumn[];
  /** Row-major: `rows[r][c]` is a number for a number column, a string for a category. */
  rows: (number | string)[][];
  labels: Uint8Array;
  malformed: MalformedRow[];
}

type TableRequest = Pick<
  PredictiveTrainFraudInput,
  'label_column' | 'feature_columns' | 'categorical_columns' | 'time_column'
>;

const labelWords: Record<string, number> = { '1': 1, '0': 0, true: 1, false: 0, yes: 1, no: 0 };

const show = (value: CellValue | undefined) => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Types every cell the model needs; a row with any bad cell becomes a malformed row naming the column. */
export function buildFraudTable(dataset: Dataset, request: TableRequest): FraudTable {
  const first = dataset.rows[0];
  if (!first) {
    throw new GantryError('DATASET_INVALID', 'the file has no readable rows', {
      details: { malformed: dataset.malformed.slice(0, 100) },
    });
  }
  const present = Object.keys(first.values);
  const names =
    request.feature_columns ??
    present.filter((name) => name !== request.label_column && name !== request.time_column);
  const wanted = [request.label_column, ...(request.time_column ? [request.time_column] : []), ...names];
  const missing = wanted.filter((name) => !present.includes(name));
  if (missing.length > 0) {
    throw new GantryError('DATASET_INVALID', `the file has no column(s) ${missing.join(', ')}`, {
      details: { missing, columns: present },
    });
  }
  const columns: FraudColumn[] = names.map((name) => ({
    name,
    type: request.categorical_columns.includes(name) ? 'category' : 'number',
  }));

  const malformed = [...dataset.malformed];
  const typed: { row: (number | string)[]; label: number; time: number }[] = [];
  for (const { line, values } of dataset.rows) {
    const problems: string[] = [];
    const rawLabel = values[request.label_column];
    const label = labelWords[String(rawLabel).trim().toLowerCase()];
    if (label === undefined)
      problems.push(`${request.label_column} must be 0/1, true/false or yes/no, got ${show(rawLabel)}`);
    let time = typed.length;
    if (request.time_column) {
      const raw = values[request.time_column];
      time = cellTime(raw);
      if (!Number.isFinite(time))
        problems.push(`${request.time_column} must be a date-time or a number, got ${show(raw)}`);
    }
    const row = columns.map(({ name, type }) => {
      const raw = values[name];
      if (type === 'category') {
        if (raw === null || raw === undefined || raw === '') problems.push(`${name} is empty`);
        return String(raw);
      }
      const value =
        typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(value)) problems.push(`${name} must be a finite number, got ${show(raw)}`);
      return value;
    });
    if (problems.length > 0) malformed.push({ line, reason: problems.join('; ') });
    else typed.push({ row, label: label ?? 0, time });
  }
  // A stable sort: rows at the same time keep their file order.
  typed.sort((a, b) => a.time - b.time);
  return {
    columns,
    rows: typed.map((entry) => entry.row),
    labels: Uint8Array.from(typed, (entry) => entry.label),
    malformed,
  };
}

import { GantryError, PredictiveForecastBatchInput } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { readForecastItems } from './read-forecast-items.js';

const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
const options = (extra: Record<string, unknown> = {}) =>
  PredictiveForecastBatchInput.parse({ file: { blob_id: 'blob_1' }, horizon: 7, ...extra });
const bytes = (text: string) => new TextEncoder().encode(text);

/** Two series of 28 daily points, their rows interleaved as an export sorted by date would have them. */
const csv = (header = 'id,timestamp,value') =>
  [
    header,
    ...Array.from({ length: 28 }, (_, i) => [`b,${day(i)},${20 + (i % 7)}`, `a,${day(i)},${10 + i}`]).flat(),
  ].join('\n');

function failure(run: () => unknown): GantryError {
  try {
    run();
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error('expected SERIES_INVALID');
}

describe('readForecastItems', () => {
  it('reads a long CSV into one item per id, in order of first row, each in its rows’ order', () => {
    const items = readForecastItems(bytes(csv()), options());
    expect(items.map((item) => item.id)).toEqual(['b', 'a']);
    expect(items[1]?.series).toHaveLength(28);
    expect(items[1]?.series[3]).toEqual({ timestamp: day(3), value: 13 });
  });

  it('reads the columns the input names', () => {
    const text = csv('sku,date,units');
    const items = readForecastItems(
      bytes(text),
      options({ id_column: 'sku', timestamp_column: 'date', value_column: 'units' }),
    );
    expect(items).toHaveLength(2);
  });

  it('reads JSONL items with their future covariates', () => {
    const series = Array.from({ length: 28 }, (_, i) => ({
      timestamp: day(i),
      value: 5 + (i % 7),
      covariates: { promo: i % 5 === 0 ? 1 : 0 },
    }));
    const future = Array.from({ length: 7 }, (_, i) => ({
      timestamp: day(28 + i),
      covariates: { promo: 0 },
    }));
    const line = JSON.stringify({ id: 'x', series, future_covariates: future });
    const items = readForecastItems(bytes(`${line}\n`), options());
    expect(items[0]?.future_covariates).toHaveLength(7);
  });

  it('names the line of a value that is not a number', () => {
    const lines = csv().split('\n');
    lines[10] = lines[10]?.replace(/,[^,]*$/, ',n/a') ?? '';
    const error = failure(() => readForecastItems(bytes(lines.join('\n')), options()));
    expect(error.code).toBe('SERIES_INVALID');
    expect(error.message).toMatch(/on line 11: value must be a finite number/);
  });

  it('names the first line of a series too short to forecast', () => {
    const text = `${csv()}\nc,${day(0)},1\nc,${day(1)},2`;
    const error = failure(() => readForecastItems(bytes(text), options()));
    expect(error.message).toMatch(/on line 58: /);
    expect((error.details as { issues: unknown[] }).issues[0]).toMatchObject({
      line: 58,
      item: 'c',
      path: ['series'],
    });
  });

  it('refuses a CSV without the named columns, and one with columns it would ignore', () => {
    expect(failure(() => readForecastItems(bytes(csv('sku,timestamp,value')), options())).message).toMatch(
      /on line 1: the CSV has no column id \(its columns: sku, timestamp, value\)/,
    );
    const extra = csv('id,timestamp,value,promo').replace(/\n([^\n]+)/g, '\n$1,0');
    expect(failure(() => readForecastItems(bytes(extra), options())).message).toMatch(
      /the CSV columns promo are not read: send covariates as JSONL items/,
    );
  });

  it('refuses a JSONL file with a repeated id or a line that is not an item, naming each line', () => {
    const series = Array.from({ length: 28 }, (_, i) => ({ timestamp: day(i), value: i }));
    const line = JSON.stringify({ id: 'x', series });
    const error = failure(() => readForecastItems(bytes([line, '{"id":"y"}', line].join('\n')), options()));
    expect(error.details).toMatchObject({
      issues: [
        { line: 2, item: 'y', path: ['series'], message: expect.stringMatching(/series/) },
        { line: 3, item: 'x', path: ['id'], message: 'id x repeats item 0' },
      ],
    });
  });

  it('refuses a file with more rows than a job may read before parsing them', () => {
    const rows = Array.from({ length: 500_010 }, (_, i) => `s${i % 1_000},${day(i % 28)},${i}`);
    const error = failure(() =>
      readForecastItems(bytes(['id,timestamp,value', ...rows].join('\n')), options()),
    );
    expect(error.message).toMatch(/the file has 500011 lines; one job reads at most 500000 points/);
  });

  it('refuses a file with no series', () => {
    expect(failure(() => readForecastItems(bytes('id,timestamp,value\n'), options())).message).toMatch(
      /the file holds no series/,
    );
  });
});

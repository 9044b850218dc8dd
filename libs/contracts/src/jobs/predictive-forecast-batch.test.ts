import { describe, expect, it } from 'vitest';
import { PredictiveForecastBatchInput } from './predictive-forecast-batch.js';

const series = Array.from({ length: 28 }, (_, i) => ({
  timestamp: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
  value: i % 7,
}));
const messages = (input: unknown) =>
  PredictiveForecastBatchInput.safeParse(input).error?.issues.map((issue) => issue.message) ?? [];

describe('PredictiveForecastBatchInput', () => {
  it('takes the series as items or as an uploaded file, with the CSV column names defaulted', () => {
    expect(messages({ items: [{ id: 'a', series }], horizon: 7 })).toEqual([]);
    const fromFile = PredictiveForecastBatchInput.parse({ file: { blob_id: 'blob_1' }, horizon: 7 });
    expect(fromFile).toMatchObject({ id_column: 'id', timestamp_column: 'timestamp', value_column: 'value' });
  });

  it('refuses neither and both', () => {
    expect(messages({ horizon: 7 })).toEqual(['give one of `items` or `file`']);
    expect(messages({ items: [{ id: 'a', series }], file: { blob_id: 'blob_1' }, horizon: 7 })).toEqual([
      'give one of `items` or `file`',
    ]);
  });
});

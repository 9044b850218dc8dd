import { describe, expect, it } from 'vitest';
import { PredictiveForecastBatchInput } from './predictive-forecast-batch.js';
import { PredictiveForecastInput } from './predictive-forecast.js';

const dayMs = 86_400_000;
const date = (day: number) => new Date(Date.UTC(2024, 0, 1) + day * dayMs).toISOString().slice(0, 10);
const series = (length: number, covariates?: (day: number) => Record<string, number>) =>
  Array.from({ length }, (_, day) => ({
    timestamp: date(day),
    value: 100 + (day % 7),
    ...(covariates && { covariates: covariates(day) }),
  }));
const future = (from: number, horizon: number) =>
  Array.from({ length: horizon }, (_, h) => ({ timestamp: date(from + h), covariates: { promotion: 0 } }));
const promo = (day: number) => ({ promotion: day % 5 === 0 ? 1 : 0 });

function issues(
  schema: typeof PredictiveForecastInput | typeof PredictiveForecastBatchInput,
  input: unknown,
) {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => [issue.path, issue.message]);
}
const forecastIssues = (input: unknown) => issues(PredictiveForecastInput, input);

describe('forecast drivers in the contract', () => {
  it('accepts covariates with their future values, events, holidays and unavailable points', () => {
    const points = series(28, promo).map((point, i) => (i === 9 ? { ...point, available: false } : point));
    expect(
      forecastIssues({
        series: points,
        horizon: 3,
        future_covariates: future(28, 3),
        events: [{ date: '2024-01-10', name: 'sale' }],
        holidays: { country: 'DE-BY' },
      }),
    ).toEqual([]);
  });

  it('needs one future entry per horizon step, at the forecast steps, with the same names', () => {
    const base = { series: series(28, promo), horizon: 3 };
    expect(forecastIssues(base)).toEqual([[['future_covariates'], expect.stringContaining('promotion')]]);
    expect(forecastIssues({ ...base, future_covariates: future(28, 2) })).toEqual([
      [['future_covariates'], expect.stringContaining('exactly 3')],
    ]);
    expect(forecastIssues({ ...base, future_covariates: future(29, 3) })).toEqual([
      [['future_covariates', 0, 'timestamp'], expect.stringContaining('2024-01-29')],
    ]);
    const renamed = future(28, 3).map((step, h) => (h === 2 ? { ...step, covariates: { price: 1 } } : step));
    expect(forecastIssues({ ...base, future_covariates: renamed })).toEqual([
      [['future_covariates', 2, 'covariates'], expect.stringContaining('promotion')],
    ]);
  });

  it('refuses covariates missing on a point, future covariates without history ones, and bad values', () => {
    const holed = series(28, promo).map((point, i) => (i === 4 ? { ...point, covariates: {} } : point));
    expect(forecastIssues({ series: holed, horizon: 3, future_covariates: future(28, 3) })).toEqual([
      [['series', 4, 'covariates'], expect.stringContaining('same covariates')],
    ]);
    expect(forecastIssues({ series: series(28), horizon: 3, future_covariates: future(28, 3) })).toEqual([
      [['future_covariates'], expect.stringContaining('no covariates')],
    ]);
    const infinite = series(28, promo).map((point, i) =>
      i === 2 ? { ...point, covariates: { promotion: Number.POSITIVE_INFINITY } } : point,
    );
    expect(
      forecastIssues({ series: infinite, horizon: 3, future_covariates: future(28, 3) })[0]?.[0],
    ).toEqual(['series', 2, 'covariates', 'promotion']);
  });

  it('refuses a series with fewer than two seasons of available points', () => {
    const points = series(14).map((point, i) => (i < 3 ? { ...point, available: false } : point));
    expect(forecastIssues({ series: points, horizon: 3 })).toEqual([
      [['series'], expect.stringContaining('11 available points')],
    ]);
  });

  it.each([
    [{ events: [{ date: '2024-13-01', name: 'x' }] }, ['events', 0, 'date']],
    [{ events: [{ date: '2024-01-05', name: ' ' }] }, ['events', 0, 'name']],
    [{ holidays: { country: 'germany' } }, ['holidays', 'country']],
    [
      { series: series(28).map((p, i) => (i === 1 ? { ...p, available: 'no' } : p)) },
      ['series', 1, 'available'],
    ],
  ])('names a bad driver field: %j', (patch, path) => {
    expect(forecastIssues({ series: series(28), horizon: 3, ...patch }).map(([p]) => p)).toEqual([path]);
  });

  it('checks each batch item under its own path and refuses repeated ids', () => {
    const batchIssues = (input: unknown) => issues(PredictiveForecastBatchInput, input);
    const good = { id: 'a', series: series(28, promo), future_covariates: future(28, 3) };
    expect(batchIssues({ horizon: 3, items: [good, { ...good, id: 'b' }] })).toEqual([]);
    expect(batchIssues({ horizon: 3, items: [good, { id: 'b', series: series(10) }, good] })).toEqual([
      [['items', 1, 'series'], expect.stringContaining('at least 14')],
      [['items', 2, 'id'], expect.stringContaining('repeats item 0')],
    ]);
    expect(batchIssues({ horizon: 3, items: [] })).toEqual([
      [['items'], expect.stringContaining('at least one')],
    ]);
  });
});

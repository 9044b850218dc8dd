import type { PredictiveForecastBatchOutput, PredictiveForecastOutput } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply, Job } from './gantry-client.js';

// Real: gateway over HTTP, Redis queue, Postgres records, the predictive worker and its augurs engine process.
let stack: EngineStack;
beforeAll(async () => {
  stack = await startEngineStack('predictive', [{ module: workerModule('predictive'), app: 'predictive' }]);
});
afterAll(() => stack?.close());

const dayMs = 86_400_000;
const start = Date.parse('2023-01-02T00:00:00Z');

/** Two years of daily points: level + trend + a weekly pattern + deterministic jitter. */
const weeklySeries = (days = 730) => {
  const weekday = [0, 4, 6, 5, 3, -8, -10];
  return Array.from({ length: days }, (_, t) => ({
    timestamp: new Date(start + t * dayMs).toISOString(),
    value: 100 + 0.02 * t + (weekday[t % 7] ?? 0) + 1.5 * Math.sin(t * 12.9898),
  }));
};

const issuesOf = (reply: { body: unknown }) => (reply.body as ErrorReply).error.details.issues ?? [];

describe('predictive.forecast through the whole stack', () => {
  it('forecasts a weekly-seasonal daily series: right horizon, continued timestamps, intervals, backtest', async () => {
    const series = weeklySeries();
    const reply = await stack.client.submit<Job<PredictiveForecastOutput>>(
      'predictive.forecast',
      { series, horizon: 28 },
      30,
    );
    expect([200, 202]).toContain(reply.status);
    const job =
      reply.status === 200 ? reply.body : await stack.client.waitFor<PredictiveForecastOutput>(reply.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.model).toMatchObject({ name: expect.any(String), version: expect.any(String) });
    const output = job.output as PredictiveForecastOutput;

    expect(output.forecast).toHaveLength(28);
    const last = Date.parse(series.at(-1)?.timestamp ?? '');
    output.forecast.forEach((point, i) => {
      expect(Date.parse(point.timestamp)).toBe(last + (i + 1) * dayMs);
      expect(point.lower).toBeLessThanOrEqual(point.value);
      expect(point.value).toBeLessThanOrEqual(point.upper);
    });
    // The weekly shape carries on: the forecast for a Saturday is well below that for a Wednesday.
    const byWeekday = (day: number) =>
      output.forecast.filter((p) => new Date(p.timestamp).getUTCDay() === day).map((p) => p.value);
    expect(Math.max(...byWeekday(6))).toBeLessThan(Math.min(...byWeekday(3)) - 8);

    expect(output.baseline.forecast).toHaveLength(28);
    expect(output.backtest.smape).toBeGreaterThanOrEqual(0);
    expect(output.backtest.smape).toBeLessThan(10);
    expect(output.backtest.mase).toEqual(expect.any(Number));
    expect(output.backtest.baseline_mase).toEqual(expect.any(Number));
  });

  it('takes a series of plain RFC 3339 dates and answers with dates', async () => {
    const series = weeklySeries(120).map((point) => ({ ...point, timestamp: point.timestamp.slice(0, 10) }));
    const reply = await stack.client.submit<Job<PredictiveForecastOutput>>(
      'predictive.forecast',
      { series, horizon: 3 },
      30,
    );
    const job =
      reply.status === 200 ? reply.body : await stack.client.waitFor<PredictiveForecastOutput>(reply.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.output?.forecast.map((point) => point.timestamp)).toEqual([
      '2023-05-02',
      '2023-05-03',
      '2023-05-04',
    ]);
  });

  it('forecasts a batch of series with promotions and holidays, each with its own method', async () => {
    const days = 400;
    const promotion = (t: number) => (Math.sin(t * 7.77) > 0.75 ? 1 : 0);
    const items = [0, 1, 2].map((k) => {
      const points = weeklySeries(days + 7).map((point, t) => ({
        timestamp: point.timestamp.slice(0, 10),
        value: point.value + k * 10 + (k < 2 ? 25 * promotion(t) : 0),
        covariates: { promotion: promotion(t) },
      }));
      return {
        id: `sku-${k}`,
        series: points.slice(0, days),
        future_covariates: points.slice(days).map(({ timestamp, covariates }) => ({ timestamp, covariates })),
      };
    });
    const reply = await stack.client.submit<Job<PredictiveForecastBatchOutput>>(
      'predictive.forecast-batch',
      { items, horizon: 7, holidays: { country: 'US' } },
      60,
    );
    const job =
      reply.status === 200
        ? reply.body
        : await stack.client.waitFor<PredictiveForecastBatchOutput>(reply.body.id);
    expect(job.status).toBe('succeeded');
    const results = job.output?.results ?? [];
    expect(results.map((result) => result.id)).toEqual(['sku-0', 'sku-1', 'sku-2']);
    for (const result of results) {
      expect(result.forecast).toHaveLength(7);
      expect(result.backtest.origins).toBeGreaterThan(3);
      expect(result.backtest.no_driver_mase).toEqual(expect.any(Number));
    }
    // The promoted SKUs need their promotions; the third's promotion column explains nothing.
    expect(results[0]?.method).toBe('regression_mstl');
    expect(results[1]?.method).toBe('regression_mstl');
  });

  it('forecasts a batch uploaded as a CSV, and fails one with a bad row naming its line', async () => {
    // Past the gateway's 1 MB JSON limit as items: 40 series of two years.
    const rows = weeklySeries().flatMap((point) =>
      Array.from({ length: 40 }, (_, k) => `sku-${k},${point.timestamp.slice(0, 10)},${point.value + k}`),
    );
    const csv = (lines: string[]) => Buffer.from(['sku,date,units', ...lines].join('\n'));
    const columns = { id_column: 'sku', timestamp_column: 'date', value_column: 'units', horizon: 7 };
    const reply = await stack.client.upload<Job<PredictiveForecastBatchOutput>>(
      'predictive.forecast-batch',
      { bytes: csv(rows), filename: 'sales.csv', contentType: 'text/csv' },
      columns,
      120,
    );
    expect(reply.status).toBe(200);
    const results = reply.body.output?.results ?? [];
    expect(results.map((result) => result.id)).toEqual(Array.from({ length: 40 }, (_, k) => `sku-${k}`));
    expect(results[39]?.forecast).toHaveLength(7);

    const broken = [...rows];
    broken[1_000] = broken[1_000]?.replace(/,[^,]*$/, ',') ?? '';
    const failed = await stack.client.upload<Job>(
      'predictive.forecast-batch',
      { bytes: csv(broken), filename: 'sales.csv', contentType: 'text/csv' },
      columns,
      30,
    );
    expect(failed.body.status).toBe('failed');
    expect(failed.body.error).toMatchObject({
      code: 'SERIES_INVALID',
      message: expect.stringMatching(/the first on line 1002: value must be a finite number/),
    });
  });

  it('answers 422 naming the item and field of a batch with missing future covariates', async () => {
    const series = weeklySeries(60).map((point) => ({ ...point, covariates: { promotion: 0 } }));
    const reply = await stack.client.submit('predictive.forecast-batch', {
      items: [{ id: 'a', series }],
      horizon: 7,
    });
    expect(reply.status).toBe(422);
    expect(issuesOf(reply).map((issue) => issue.path)).toContainEqual(['items', 0, 'future_covariates']);
  });

  // Each bad input is answered 422 by the gateway, before anything is queued, naming the field.
  const bad: [string, () => unknown, (string | number)[]][] = [
    ['fewer points than two seasons', () => ({ series: weeklySeries(13), horizon: 7 }), ['series']],
    [
      'a null value',
      () => ({ series: weeklySeries().map((p, i) => (i === 40 ? { ...p, value: null } : p)), horizon: 7 }),
      ['series', 40, 'value'],
    ],
    [
      'a "NaN" string value',
      () => ({ series: weeklySeries().map((p, i) => (i === 41 ? { ...p, value: 'NaN' } : p)), horizon: 7 }),
      ['series', 41, 'value'],
    ],
    [
      'unsorted timestamps',
      () => {
        const series = weeklySeries();
        const [a, b] = [series[100], series[101]];
        if (a && b) [series[100], series[101]] = [b, a];
        return { series, horizon: 7 };
      },
      ['series', 101, 'timestamp'],
    ],
    [
      'a duplicated timestamp',
      () => {
        const series = weeklySeries();
        return { series: [...series.slice(0, 51), ...series.slice(50)], horizon: 7 };
      },
      ['series', 51, 'timestamp'],
    ],
    ['horizon 0', () => ({ series: weeklySeries(), horizon: 0 }), ['horizon']],
    ['an absurdly long horizon', () => ({ series: weeklySeries(), horizon: 1_000_000 }), ['horizon']],
    ['a horizon past twice the series', () => ({ series: weeklySeries(60), horizon: 121 }), ['horizon']],
  ];

  it.each(bad)('answers 422 for %s, naming the field', async (_name, input, path) => {
    const reply = await stack.client.submit('predictive.forecast', input());
    expect(reply.status).toBe(422);
    const body = reply.body as ErrorReply;
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(issuesOf(reply).map((issue) => issue.path)).toContainEqual(path);
  });

  it('queued nothing for the refused requests', async () => {
    const list = async () =>
      (await stack.client.request<{ data: Job[] }>('/v1/jobs?type=predictive.forecast')).body.data;
    // The listing reads Postgres, which the recorder fills a batch or two after Redis.
    const deadline = Date.now() + 5_000;
    while ((await list()).filter((job) => job.status === 'succeeded').length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect((await list()).map((job) => job.status)).toEqual(['succeeded', 'succeeded']);
  });
});

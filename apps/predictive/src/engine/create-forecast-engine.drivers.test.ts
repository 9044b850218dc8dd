import { GantryError } from '@gantry/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, syntheticSeries } from '../testing/synthetic-series.js';
import { createForecastEngine, type ForecastEngine, type ForecastRequest } from './create-forecast-engine.js';

// Real augurs wasm and the real date-holidays calendar; the series are synthetic with known drivers.
let engine: ForecastEngine;
beforeAll(async () => {
  engine = await createForecastEngine();
});

const historyLength = 730;
const horizon = 28;
const lift = 30;

/** Two years of trend + weekly season + N(0, 2²), plus `lift` on promotion days (one day in eight). */
function promoted(seed: number) {
  const { series } = syntheticSeries({ seed, length: historyLength + horizon, sigma: 2 });
  const random = seededRandom(seed + 1_000);
  const points = series.map((point) => {
    const promotion = random() < 0.125 ? 1 : 0;
    return { ...point, value: point.value + lift * promotion, covariates: { promotion } };
  });
  return { history: points.slice(0, historyLength), future: points.slice(historyLength) };
}

const request = (
  series: ForecastRequest['series'],
  extra: Partial<ForecastRequest> = {},
): ForecastRequest => ({
  series,
  horizon,
  frequency: 'daily',
  seasonLength: 7,
  interval: 0.8,
  ...extra,
});
const mae = (predicted: number[], actual: number[]) =>
  predicted.reduce((sum, value, i) => sum + Math.abs(value - (actual[i] ?? 0)), 0) / predicted.length;

describe('createForecastEngine with drivers', () => {
  it('chooses the covariate regression when promotions drive demand, and forecasts them', async () => {
    const { history, future } = promoted(7);
    const result = await engine.forecast(
      request(history, {
        futureCovariates: future.map(({ timestamp, covariates }) => ({ timestamp, covariates })),
      }),
    );
    expect(result.method).toBe('regression_mstl');
    expect(result.backtest.origins).toBe(5);
    expect(result.backtest.mase).toBeLessThan(0.5 * (result.backtest.no_driver_mase ?? 0));
    const actual = future.map((point) => point.value);
    const withDrivers = mae(
      result.forecast.map((point) => point.value),
      actual,
    );
    const naive = mae(
      result.baseline.forecast.map((point) => point.value),
      actual,
    );
    // σ = 2: a model that knows the promotions is off by about σ·√(2/π) ≈ 1.6 on average.
    expect(withDrivers).toBeLessThan(3);
    expect(withDrivers).toBeLessThan(0.5 * naive);
  });

  it('keeps the no-driver choice and reports no no_driver_mase when the request has no drivers', async () => {
    const { series } = syntheticSeries({ seed: 3, length: historyLength });
    const result = await engine.forecast(request(series));
    expect(result.method).not.toBe('regression_mstl');
    expect(result.backtest).not.toHaveProperty('no_driver_mase');
  });

  it('learns a named event from its past dates and applies it on its future date', async () => {
    const { series } = syntheticSeries({ seed: 5, length: historyLength + horizon, start: '2023-01-02' });
    const saleDays = [100, 300, 480, 650, historyLength + 10];
    const events = saleDays.map((day) => ({ date: series[day]?.timestamp.slice(0, 10) ?? '', name: 'sale' }));
    const values = series.map((point, t) => ({
      ...point,
      value: point.value + (saleDays.includes(t) ? 60 : 0),
    }));
    const result = await engine.forecast(request(values.slice(0, historyLength), { events }));
    expect(result.method).toBe('regression_mstl');
    const onSale = result.forecast[10]?.value ?? 0;
    const truth = values[historyLength + 10]?.value ?? 0;
    expect(Math.abs(onSale - truth)).toBeLessThan(15);
  });

  it('takes holidays from the calendar of a country', async () => {
    // 2023-01-02 … 2025-01-28: Christmas 2023 and 2024 and New Year 2024 and 2025 close the shop.
    const { series } = syntheticSeries({ seed: 9, length: historyLength + horizon, start: '2023-01-02' });
    const closed = new Set(['12-25', '01-01']);
    const values = series.map((point) => ({
      timestamp: point.timestamp.slice(0, 10),
      value: closed.has(point.timestamp.slice(5, 10)) ? 5 : point.value,
    }));
    const history = values.slice(0, historyLength - 14);
    const result = await engine.forecast(request(history, { holidays: { country: 'GB' } }));
    const christmas = result.forecast.find((point) => point.timestamp === '2024-12-25');
    const before = result.forecast.find((point) => point.timestamp === '2024-12-23');
    expect(christmas?.value).toBeLessThan(40);
    expect(before?.value).toBeGreaterThan(80);
  });

  it('leaves unavailable points out of fits and scores, so stock-outs do not drag the forecast down', async () => {
    const { history, future } = promoted(11);
    const random = seededRandom(99);
    const stockedOut = history.map((point) =>
      random() < 0.1 ? { ...point, value: 0, available: false } : point,
    );
    const futureCovariates = future.map(({ timestamp, covariates }) => ({ timestamp, covariates }));
    const actual = future.map((point) => point.value);
    const marked = await engine.forecast(request(stockedOut, { futureCovariates }));
    const unmarked = await engine.forecast(
      request(
        stockedOut.map(({ timestamp, value, covariates }) => ({ timestamp, value, covariates })),
        { futureCovariates },
      ),
    );
    const markedError = mae(
      marked.forecast.map((point) => point.value),
      actual,
    );
    expect(markedError).toBeLessThan(3);
    expect(markedError).toBeLessThan(
      0.5 *
        mae(
          unmarked.forecast.map((point) => point.value),
          actual,
        ),
    );
  });

  it('refuses a country the holiday calendar does not know, naming the field', async () => {
    const { series } = syntheticSeries({ seed: 1, length: 60 });
    const error = await engine
      .forecast(request(series, { holidays: { country: 'QQ' } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GantryError);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['holidays', 'country'] }] },
    });
  });
});

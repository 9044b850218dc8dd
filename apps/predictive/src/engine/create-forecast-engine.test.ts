import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticSeries } from '../testing/synthetic-series.js';
import { createForecastEngine, type ForecastEngine, type ForecastRequest } from './create-forecast-engine.js';

// Real augurs wasm throughout; the series are synthetic with known structure and noise.
let engine: ForecastEngine;
beforeAll(async () => {
  engine = await createForecastEngine();
});

const daily = (series: ForecastRequest['series'], horizon: number): ForecastRequest => ({
  series,
  horizon,
  frequency: 'daily',
  seasonLength: 7,
  interval: 0.8,
});

const rms = (errors: number[]) => Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length);
const sigma = 2;
const historyLength = 730;
const horizon = 28;

/** Two years of daily history: trend + weekly season + N(0, σ²), and the same process continued. */
function twoYears(seed: number) {
  const { series, mean } = syntheticSeries({ seed, length: historyLength + horizon, sigma });
  return {
    history: series.slice(0, historyLength),
    future: series.slice(historyLength).map((point) => point.value),
    futureMean: mean.slice(historyLength),
  };
}

describe('createForecastEngine', () => {
  it('reports the augurs package version and the hash of the wasm it runs', () => {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve('@bsull/augurs/ets'));
    const read = (file: string) => readFileSync(path.join(packageDir, file));
    const { version } = JSON.parse(read('package.json').toString()) as { version: string };
    const sha256 = createHash('sha256')
      .update(read('ets_bg.wasm'))
      .update(read('mstl_bg.wasm'))
      .digest('hex');
    expect(engine.model).toEqual({ name: 'augurs', version, sha256 });
  });

  it('forecasts trend and weekly season close to the true mean and beats seasonal naive', async () => {
    const meanErrors: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const { history, future, futureMean } = twoYears(seed);
      const result = await engine.forecast(daily(history, horizon));
      const predicted = result.forecast.map((point) => point.value);
      const offMean = rms(predicted.map((value, i) => value - (futureMean[i] ?? 0)));
      meanErrors.push(offMean);
      expect(result.method).toBe('mstl_ets');
      expect(offMean).toBeLessThan(0.6 * sigma);
      const modelError = rms(predicted.map((value, i) => value - (future[i] ?? 0)));
      const naiveError = rms(result.baseline.forecast.map((point, i) => point.value - (future[i] ?? 0)));
      expect(modelError).toBeLessThanOrEqual(naiveError * 1.05);
      expect(result.backtest.mase).toBeLessThan(result.backtest.baseline_mase ?? 0);
      expect(result.backtest.mase).toBeLessThan(1);
    }
    expect(rms(meanErrors)).toBeLessThan(0.4 * sigma);
  });

  it('gives 80 % intervals that cover 70–90 % of what the process does next', async () => {
    let covered = 0;
    let total = 0;
    for (const seed of [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]) {
      const { history, future } = twoYears(seed);
      const result = await engine.forecast(daily(history, horizon));
      const hits = result.forecast.filter((point, i) => {
        const actual = future[i] ?? Number.NaN;
        return point.lower <= actual && actual <= point.upper;
      }).length;
      expect(hits / horizon).toBeGreaterThan(0.5);
      covered += hits;
      total += horizon;
    }
    expect(covered / total).toBeGreaterThanOrEqual(0.7);
    expect(covered / total).toBeLessThanOrEqual(0.9);
  });

  it('keeps a forecast of pure noise flat, inside the range of the history', async () => {
    for (const seed of [1, 2, 3]) {
      const { series } = syntheticSeries({ seed, length: 365, slope: 0, amplitude: 0, sigma: 5 });
      const result = await engine.forecast(daily(series, 90));
      const values = series.map((point) => point.value);
      for (const point of result.forecast) {
        expect(point.value).toBeGreaterThan(Math.min(...values));
        expect(point.value).toBeLessThan(Math.max(...values));
        expect(point.lower).toBeLessThanOrEqual(point.value);
        expect(point.upper).toBeGreaterThanOrEqual(point.value);
        expect(point.upper - point.lower).toBeLessThan(6 * 5);
      }
    }
  });

  it('forecasts a weekly series with a yearly season, one point a week on from the last', async () => {
    const length = 156 + 26;
    const { series, mean } = syntheticSeries({
      seed: 3,
      length,
      frequency: 'weekly',
      seasonLength: 52,
      slope: 0.2,
      amplitude: 20,
      sigma: 3,
    });
    const result = await engine.forecast({
      series: series.slice(0, 156),
      horizon: 26,
      frequency: 'weekly',
      seasonLength: 52,
      interval: 0.9,
    });
    expect(result.method).toBe('mstl_ets');
    expect(result.forecast.map((point) => point.timestamp)).toEqual(
      series.slice(156).map((point) => point.timestamp),
    );
    expect(rms(result.forecast.map((point, i) => point.value - (mean[156 + i] ?? 0)))).toBeLessThan(3);
  });

  it('continues the daily spacing in UTC whatever offset the input used', async () => {
    const { series } = syntheticSeries({ seed: 4, length: 60, start: '2024-03-01T00:00:00Z' });
    const local = series.map((point) => ({
      ...point,
      timestamp: new Date(Date.parse(point.timestamp) + 7_200_000).toISOString().replace('Z', '+02:00'),
    }));
    const result = await engine.forecast(daily(local, 3));
    expect(result.forecast.map((point) => point.timestamp)).toEqual([
      '2024-04-30T00:00:00.000Z',
      '2024-05-01T00:00:00.000Z',
      '2024-05-02T00:00:00.000Z',
    ]);
    expect(result.baseline.forecast.map((point) => point.timestamp)).toEqual(
      result.forecast.map((point) => point.timestamp),
    );
  });

  it('answers a series of RFC 3339 dates with dates, one day on from the last', async () => {
    const { series } = syntheticSeries({ seed: 5, length: 60, start: '2024-12-01T00:00:00Z' });
    const dates = series.map((point) => ({ ...point, timestamp: point.timestamp.slice(0, 10) }));
    const result = await engine.forecast(daily(dates, 3));
    expect(result.forecast.map((point) => point.timestamp)).toEqual([
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
    ]);
    expect(result.baseline.forecast.map((point) => point.timestamp)).toEqual(
      result.forecast.map((point) => point.timestamp),
    );
  });

  it('is deterministic', async () => {
    const { history } = twoYears(7);
    const first = await engine.forecast(daily(history, horizon));
    const again = await (await createForecastEngine()).forecast(daily(history, horizon));
    expect(again).toEqual(first);
  });

  it('forecasts a series of exactly two seasons with a horizon of twice its length', async () => {
    const { series } = syntheticSeries({ seed: 8, length: 14 });
    const result = await engine.forecast(daily(series, 28));
    expect(result.forecast).toHaveLength(28);
    expect(result.forecast.every((point) => Number.isFinite(point.lower + point.value + point.upper))).toBe(
      true,
    );
  });

  it('repeats a series that repeats exactly, with no MASE to report', async () => {
    const { series } = syntheticSeries({ seed: 9, length: 56 });
    const periodic = series.map((point, i) => ({ ...point, value: [3, 1, 4, 1, 5, 9, 2][i % 7] ?? 0 }));
    const result = await engine.forecast(daily(periodic, 7));
    expect(result.forecast.map((point) => Math.round(point.value * 1e6) / 1e6)).toEqual([
      3, 1, 4, 1, 5, 9, 2,
    ]);
    expect(result.backtest).toMatchObject({ mase: null, baseline_mase: null });
  });

  it('reports progress up to 100 and stops on an aborted signal', async () => {
    const { history } = twoYears(10);
    const seen: number[] = [];
    await engine.forecast(daily(history, 14), { onProgress: (pct) => seen.push(pct) });
    expect(seen.at(-1)).toBe(100);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    await expect(engine.forecast(daily(history, 14), { signal: AbortSignal.abort() })).rejects.toThrow(
      /abort/i,
    );
  });

  it('refuses a request the contract would have refused', async () => {
    const { series } = syntheticSeries({ seed: 1, length: 10 });
    const refusal = engine.forecast(daily(series, 3));
    await expect(refusal).rejects.toBeInstanceOf(GantryError);
    await expect(refusal).rejects.toMatchObject({ code: 'SERIES_INVALID' });
  });

  // How fast is the bench's business (tools/bench), not a timed test's: the timeout only catches a fit
  // over the whole history, which would take minutes.
  it('forecasts the longest series the contract accepts, fitting only its recent past', async () => {
    const { series } = syntheticSeries({ seed: 2, length: 100_000 });
    const result = await engine.forecast(daily(series, 30));
    expect(result.forecast).toHaveLength(30);
  }, 60_000);
});

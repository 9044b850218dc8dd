import { GantryError, isCalendarDate, type ModelInfo } from '@gantry/contracts';
import { autoEtsForecaster, mstlEtsForecaster } from './augurs-forecasters.js';
import { intervalScale, widenIntervals } from './calibrate-intervals.js';
import type { ForecastMethod, Forecaster, Prediction } from './forecaster.js';
import { loadAugurs } from './load-augurs.js';
import { type BacktestScore, rollingOriginBacktest } from './rolling-origin-backtest.js';
import { seasonalNaiveForecaster } from './seasonal-naive-forecaster.js';

const stepMs = { daily: 86_400_000, weekly: 604_800_000 } as const;

// Fit time grows linearly with length (about 3 s for 100 000 points per fit) while ETS weights
// old points away and STL estimates the season locally, so models see only the recent past.
const historyWindow = (seasonLength: number): number => Math.max(4_000, 8 * seasonLength);

/** A request with its frequency and season length already resolved (see the contract's defaults). */
export interface ForecastRequest {
  series: readonly { timestamp: string; value: number }[];
  horizon: number;
  frequency: 'daily' | 'weekly';
  seasonLength: number;
  /** Prediction interval coverage, 0..1. */
  interval: number;
}

/** The `predictive.forecast` output, in its wire shape. */
export interface ForecastResult {
  method: ForecastMethod;
  forecast: { timestamp: string; value: number; lower: number; upper: number }[];
  baseline: { method: 'seasonal_naive'; forecast: { timestamp: string; value: number }[] };
  backtest: { mase: number | null; smape: number; baseline_mase: number | null };
}

export interface ForecastOptions {
  signal?: AbortSignal;
  onProgress?: (pct: number, message?: string) => void;
}

export interface ForecastEngine {
  readonly model: ModelInfo;
  forecast(request: ForecastRequest, options?: ForecastOptions): Promise<ForecastResult>;
}

/**
 * Loads augurs once; each forecast backtests seasonal naive, AutoETS and MSTL+ETS on the series' tail,
 * refits the one with the lowest MASE on the whole (recent) history and forecasts with its intervals,
 * widened where its backtest shows them too narrow (see `intervalScale`).
 */
export async function createForecastEngine(): Promise<ForecastEngine> {
  const model = await loadAugurs();
  return {
    model,
    async forecast(request, options = {}) {
      const { horizon, seasonLength, interval } = request;
      const values = Float64Array.from(request.series, (point) => point.value);
      assertForecastable(values, request);
      const naive = seasonalNaiveForecaster(seasonLength);
      const candidates: Forecaster[] = [naive, autoEtsForecaster, mstlEtsForecaster(seasonLength)];
      const window = historyWindow(seasonLength);
      const backtest = await rollingOriginBacktest(values, candidates, {
        horizon,
        seasonLength,
        level: interval,
        window,
        signal: options.signal,
        // One more fit follows the backtest: the refit of the winner.
        onFit: (done, total) => options.onProgress?.(Math.round((100 * done) / (total + 1)), 'backtesting'),
      });
      options.signal?.throwIfAborted();
      const history = values.subarray(Math.max(0, values.length - window));
      const best = refitBest(backtest.scores, candidates, history, horizon, interval);
      const { score } = best;
      const prediction = widenIntervals(best.prediction, intervalScale(score.intervalRatios, interval));
      const baselineScore = backtest.scores.find((entry) => entry.method === 'seasonal_naive');
      const baseline = naive.predict(history, horizon, interval);
      const timestamps = futureTimestamps(request, horizon);
      options.onProgress?.(100, `forecast with ${score.method}`);
      return {
        method: score.method,
        forecast: timestamps.map((timestamp, i) => ({
          timestamp,
          value: prediction.point[i] ?? Number.NaN,
          lower: prediction.lower[i] ?? Number.NaN,
          upper: prediction.upper[i] ?? Number.NaN,
        })),
        baseline: {
          method: 'seasonal_naive',
          forecast: timestamps.map((timestamp, i) => ({ timestamp, value: baseline.point[i] ?? Number.NaN })),
        },
        backtest: { mase: score.mase, smape: score.smape, baseline_mase: baselineScore?.mase ?? null },
      };
    },
  };
}

// The contract validates requests; this guards callers that skip it from a meaningless fit.
function assertForecastable(values: Float64Array, request: ForecastRequest): void {
  const { seasonLength, horizon, series } = request;
  const problems = [
    (!Number.isInteger(seasonLength) || seasonLength < 2) &&
      `season length must be an integer ≥ 2, got ${seasonLength}`,
    values.length < 2 * seasonLength &&
      `${values.length} points is fewer than two seasons of ${seasonLength}`,
    !values.every(Number.isFinite) && 'every value must be a finite number',
    Number.isNaN(Date.parse(series.at(-1)?.timestamp ?? '')) &&
      'the last timestamp is not an RFC 3339 date or date-time',
    (!Number.isInteger(horizon) || horizon < 1) && `horizon must be a positive integer, got ${horizon}`,
  ].filter((problem) => typeof problem === 'string');
  if (problems.length > 0) {
    throw new GantryError('SERIES_INVALID', `cannot forecast: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
}

// The refit sees more data than any backtest fit, so a winner can still fail; the next best steps in.
function refitBest(
  ranked: readonly BacktestScore[],
  candidates: readonly Forecaster[],
  history: Float64Array,
  horizon: number,
  level: number,
): { score: BacktestScore; prediction: Prediction } {
  const failures: string[] = [];
  for (const score of ranked) {
    const candidate = candidates.find((entry) => entry.method === score.method);
    if (!candidate) continue;
    try {
      return { score, prediction: candidate.predict(history, horizon, level) };
    } catch (error) {
      failures.push(`${score.method}: ${String(error)}`);
    }
  }
  throw new GantryError('SERIES_INVALID', 'no model could fit the series', { details: { failures } });
}

// A series of plain dates is answered in dates: midnight UTC plus whole days is still a date.
function futureTimestamps(request: ForecastRequest, horizon: number): string[] {
  const last = Date.parse(request.series.at(-1)?.timestamp ?? '');
  const step = stepMs[request.frequency];
  const asDates = request.series.every((point) => isCalendarDate(point.timestamp));
  return Array.from({ length: horizon }, (_, i) => {
    const iso = new Date(last + (i + 1) * step).toISOString();
    return asDates ? iso.slice(0, 10) : iso;
  });
}

import { GantryError, isCalendarDate, type ModelInfo } from '@gantry/contracts';
import { autoEtsForecaster, mstlEtsForecaster } from './augurs-forecasters.js';
import { intervalScale, widenIntervals } from './calibrate-intervals.js';
import { chooseMethod, usesDrivers } from './choose-method.js';
import type { ForecastMethod, Forecaster, Prediction } from './forecaster.js';
import { imputeUnavailable } from './impute-unavailable.js';
import { loadAugurs } from './load-augurs.js';
import { nestedSelectionScore } from './nested-selection-score.js';
import { regressionMstlForecaster } from './regression-mstl-forecaster.js';
import { type DriverRequest, requestDrivers } from './request-drivers.js';
import { type BacktestScore, rollingOriginBacktest } from './rolling-origin-backtest.js';
import { seasonalNaiveForecaster } from './seasonal-naive-forecaster.js';

const stepMs = { daily: 86_400_000, weekly: 604_800_000 } as const;

// Fit time grows linearly with length (about 3 s for 100 000 points per fit) while ETS weights
// old points away and STL estimates the season locally, so models see only the recent past.
const historyWindow = (seasonLength: number): number => Math.max(4_000, 8 * seasonLength);
/** Origins of the backtest: the first only ranks, so four are scored where the history allows. */
const maxOrigins = 5;

/** A request with its frequency and season length already resolved (see the contract's defaults). */
export interface ForecastRequest extends DriverRequest {
  series: readonly {
    timestamp: string;
    value: number;
    covariates?: Readonly<Record<string, number>> | undefined;
    /** false: not demand (out of stock…), left out of fits and scores. */
    available?: boolean | undefined;
  }[];
  seasonLength: number;
  /** Prediction interval coverage, 0..1. */
  interval: number;
}

/** The `predictive.forecast` output, in its wire shape. */
export interface ForecastResult {
  method: ForecastMethod;
  forecast: { timestamp: string; value: number; lower: number; upper: number }[];
  baseline: { method: 'seasonal_naive'; forecast: { timestamp: string; value: number }[] };
  backtest: {
    mase: number | null;
    smape: number;
    baseline_mase: number | null;
    no_driver_mase?: number | null;
    origins: number;
  };
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
 * Loads augurs once; each forecast backtests seasonal naive, AutoETS, MSTL+ETS and, when the request has
 * drivers, their regression with MSTL+ETS on the residual, at up to five origins in the series' tail;
 * refits the one with the lowest MASE on the whole (recent) history and forecasts with its intervals,
 * widened where its backtest shows them too narrow (see `intervalScale`). The reported backtest score
 * is that of the choice itself (see `nestedSelectionScore`), not of the winner on the data it won on.
 */
export async function createForecastEngine(): Promise<ForecastEngine> {
  const model = await loadAugurs();
  return {
    model,
    async forecast(request, options = {}) {
      const { horizon, seasonLength, interval } = request;
      const observed = Float64Array.from(request.series, (point) => point.value);
      assertForecastable(observed, request);
      const available = Uint8Array.from(request.series, (point) => (point.available === false ? 0 : 1));
      const values = imputeUnavailable(observed, available, seasonLength);
      const naive = seasonalNaiveForecaster(seasonLength);
      const candidates: Forecaster[] = [naive, autoEtsForecaster, mstlEtsForecaster(seasonLength)];
      const drivers = requestDrivers(request);
      if (drivers) candidates.push(regressionMstlForecaster(drivers, available, seasonLength));
      const window = historyWindow(seasonLength);
      const backtest = await rollingOriginBacktest(values, candidates, {
        horizon,
        seasonLength,
        level: interval,
        window,
        maxOrigins,
        scored: available,
        signal: options.signal,
        // One more fit follows the backtest: the refit of the winner.
        onFit: (done, total) => options.onProgress?.(Math.round((100 * done) / (total + 1)), 'backtesting'),
      });
      options.signal?.throwIfAborted();
      const start = Math.max(0, values.length - window);
      const history = values.subarray(start);
      const chosen = chooseMethod(backtest.scores, backtest.origins.length);
      const ranked = [...(chosen ? [chosen] : []), ...backtest.scores.filter((entry) => entry !== chosen)];
      const best = refitBest(ranked, candidates, history, { horizon, level: interval, start });
      const { score } = best;
      const prediction = widenIntervals(best.prediction, intervalScale(score.intervalRatios, interval));
      const selection = nestedSelectionScore(backtest);
      const noDriver = drivers ? nestedSelectionScore(backtest, (method) => !usesDrivers(method)) : undefined;
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
        backtest: {
          mase: selection.mase,
          smape: selection.smape,
          baseline_mase: selection.baselineMase,
          ...(noDriver && { no_driver_mase: noDriver.mase }),
          origins: backtest.origins.length,
        },
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
  fit: { horizon: number; level: number; start: number },
): { score: BacktestScore; prediction: Prediction } {
  const failures: string[] = [];
  for (const score of ranked) {
    const candidate = candidates.find((entry) => entry.method === score.method);
    if (!candidate) continue;
    try {
      return { score, prediction: candidate.predict(history, fit.horizon, fit.level, fit.start) };
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

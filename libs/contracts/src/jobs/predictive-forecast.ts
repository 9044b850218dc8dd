import { z } from 'zod';
import { defineJob } from '../define-job.js';
import {
  findCovariateIssues,
  ForecastCovariates,
  ForecastEvents,
  ForecastFutureCovariates,
  ForecastHolidays,
} from './forecast-drivers.js';
import { ForecastTimestamp } from './forecast-timestamp.js';

export { isCalendarDate } from './forecast-timestamp.js';

const dayMs = 86_400_000;
// Local-midnight timestamps move by an hour across daylight saving time; that is still the same spacing.
const spacingToleranceMs = 3_600_000;

export const forecastLimits = {
  /** Longest series accepted: bounds the job's memory and fit time. */
  maxPoints: 100_000,
  /** Longest horizon accepted, whatever the series length. */
  maxHorizon: 1_000,
  /** The horizon may not exceed this many times the series length: past it a forecast is extrapolation noise. */
  horizonPerPoint: 2,
} as const;

export const ForecastFrequency = z.enum(['daily', 'weekly']);
export type ForecastFrequency = z.infer<typeof ForecastFrequency>;

export const forecastStepMs = { daily: dayMs, weekly: 7 * dayMs } as const satisfies Record<
  ForecastFrequency,
  number
>;
export const defaultSeasonLength = { daily: 7, weekly: 52 } as const satisfies Record<
  ForecastFrequency,
  number
>;

/** `regression_mstl` (calendar, event, holiday and covariate regression, MSTL+ETS on its residual) needs drivers. */
export const ForecastMethod = z.enum(['mstl_ets', 'auto_ets', 'seasonal_naive', 'regression_mstl']);
export type ForecastMethod = z.infer<typeof ForecastMethod>;

// JSON carries NaN and Infinity as null or as strings; name what arrived so the 422 is actionable.
const describeInput = (input: unknown): string =>
  typeof input === 'number' ? String(input) : input === undefined ? 'nothing' : JSON.stringify(input);

export const ForecastSeriesPoint = z.object({
  timestamp: ForecastTimestamp,
  value: z.number({ error: (issue) => `value must be a finite number, got ${describeInput(issue.input)}` }),
  covariates: ForecastCovariates.optional(),
  available: z
    .boolean({ error: 'available must be true or false' })
    .optional()
    .describe(
      'false when the value is not demand (out of stock, closed): the point is left out of fits and scores.',
    ),
});
export type ForecastSeriesPoint = z.infer<typeof ForecastSeriesPoint>;

/**
 * The frequency and season length a request forecasts with: as given, else the frequency the
 * timestamps' median spacing shows (weekly when it is a week, daily otherwise) and its usual season.
 */
export function resolveForecastSeasonality(input: {
  series: readonly { timestamp: string }[];
  frequency?: ForecastFrequency | undefined;
  season_length?: number | undefined;
}): { frequency: ForecastFrequency; seasonLength: number } {
  const frequency =
    input.frequency ?? inferFrequency(input.series.map((point) => Date.parse(point.timestamp)));
  return { frequency, seasonLength: input.season_length ?? defaultSeasonLength[frequency] };
}

function inferFrequency(times: readonly number[]): ForecastFrequency {
  const gaps = times.slice(1).map((time, i) => time - (times[i] ?? time));
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  return median !== undefined && Math.abs(median - forecastStepMs.weekly) <= spacingToleranceMs
    ? 'weekly'
    : 'daily';
}

export const ForecastSeries = z
  .array(ForecastSeriesPoint, { error: 'series must be an array of { timestamp, value } points' })
  .max(forecastLimits.maxPoints, {
    error: `series may have at most ${forecastLimits.maxPoints} points`,
  });

/** The options every series of a request shares. */
export const forecastOptionFields = {
  horizon: z
    .int({ error: 'horizon must be a whole number of steps' })
    .min(1, { error: 'horizon must be at least 1 step' })
    .max(forecastLimits.maxHorizon, { error: `horizon may be at most ${forecastLimits.maxHorizon} steps` })
    .describe('How many steps past the last point to forecast.'),
  frequency: ForecastFrequency.optional().describe(
    'Spacing of the points; inferred from the timestamps when left out.',
  ),
  season_length: z
    .int({ error: 'season_length must be a whole number of steps' })
    .min(2, { error: 'season_length must be at least 2 steps' })
    .optional()
    .describe('Steps per season; 7 for daily and 52 for weekly series when left out.'),
  interval: z
    .number({ error: 'interval must be a number between 0.5 and 0.99' })
    .min(0.5, { error: 'interval must be at least 0.5' })
    .max(0.99, { error: 'interval must be at most 0.99' })
    .default(0.8)
    .describe('Coverage of the prediction interval, e.g. 0.8 for an 80 % interval.'),
  events: ForecastEvents.optional(),
  holidays: ForecastHolidays.optional(),
};

export const PredictiveForecastInput = z
  .object({
    series: ForecastSeries,
    future_covariates: ForecastFutureCovariates.optional(),
    ...forecastOptionFields,
  })
  .superRefine((input, ctx) => {
    for (const issue of findSeriesIssues(input, input)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type PredictiveForecastInput = z.infer<typeof PredictiveForecastInput>;

/**
 * The problems of one series under the request's options: length, spacing, availability, horizon and
 * covariates, with paths relative to the object that holds `series` and `future_covariates`.
 */
export function findSeriesIssues(
  item: { series: readonly ForecastSeriesPoint[]; future_covariates?: ForecastFutureCovariates | undefined },
  options: { horizon: number; frequency?: ForecastFrequency | undefined; season_length?: number | undefined },
): { path: (string | number)[]; message: string }[] {
  const { series } = item;
  const { frequency, seasonLength } = resolveForecastSeasonality({ ...options, series });
  const issues: { path: (string | number)[]; message: string }[] = [];
  if (series.length < 2 * seasonLength) {
    issues.push({
      path: ['series'],
      message:
        `series has ${series.length} points; at least ${2 * seasonLength} are needed ` +
        `(two seasons of ${seasonLength} ${frequency} steps)`,
    });
  }
  const available = series.filter((point) => point.available !== false).length;
  if (available < 2 * seasonLength && series.length >= 2 * seasonLength) {
    issues.push({
      path: ['series'],
      message: `series has ${available} available points; at least ${2 * seasonLength} are needed (two seasons)`,
    });
  }
  const spacingIssue = findSpacingIssue(series, frequency);
  if (spacingIssue) issues.push(spacingIssue);
  const maxHorizon = forecastLimits.horizonPerPoint * series.length;
  if (options.horizon > maxHorizon) {
    issues.push({
      path: ['horizon'],
      message: `horizon may be at most ${maxHorizon} steps (${forecastLimits.horizonPerPoint} × the series length)`,
    });
  }
  if (spacingIssue) return issues;
  const last = Date.parse(series.at(-1)?.timestamp ?? '');
  const step = forecastStepMs[frequency];
  const futureTimes = Array.from({ length: options.horizon }, (_, i) => last + (i + 1) * step);
  issues.push(
    ...findCovariateIssues(series, item.future_covariates, {
      horizon: options.horizon,
      futureTimes,
      toleranceMs: spacingToleranceMs,
    }),
  );
  return issues;
}

// Only the first problem is reported: after one swap or gap, every later timestamp would look wrong too.
// Order is checked before spacing, so that a swapped pair is named as such rather than as a gap.
function findSpacingIssue(
  series: readonly ForecastSeriesPoint[],
  frequency: ForecastFrequency,
): { path: (string | number)[]; message: string } | null {
  const times = series.map((point) => Date.parse(point.timestamp));
  const step = forecastStepMs[frequency];
  const at = (i: number) => ({
    path: ['series', i, 'timestamp'],
    current: series[i]?.timestamp,
    previous: series[i - 1]?.timestamp,
  });
  const gap = (i: number) => (times[i] ?? 0) - (times[i - 1] ?? 0);
  const unordered = times.findIndex((_, i) => i > 0 && gap(i) <= 0);
  if (unordered > 0) {
    const { path, current, previous } = at(unordered);
    return gap(unordered) === 0
      ? { path, message: `timestamp ${current} repeats the one before it` }
      : {
          path,
          message: `timestamps must be ascending, but ${current} is earlier than ${previous} before it`,
        };
  }
  const uneven = times.findIndex((_, i) => i > 0 && Math.abs(gap(i) - step) > spacingToleranceMs);
  if (uneven > 0) {
    const { path, current, previous } = at(uneven);
    const unit = frequency === 'daily' ? 'day' : 'week';
    return {
      path,
      message:
        `a ${frequency} series needs one point per ${unit}, but ${current} is ${formatGap(gap(uneven))} ` +
        `after ${previous}; fill the missing steps before forecasting`,
    };
  }
  return null;
}

const formatGap = (ms: number): string =>
  ms % dayMs === 0 ? `${ms / dayMs} day(s)` : `${Math.round((ms / 3_600_000) * 100) / 100} hour(s)`;

const ForecastedPoint = z.object({
  timestamp: z
    .string()
    .describe(
      'Continues the series spacing: RFC 3339 dates when the series has dates, else date-times in UTC.',
    ),
  value: z.number(),
  lower: z.number().describe('Lower bound of the prediction interval.'),
  upper: z.number().describe('Upper bound of the prediction interval.'),
});

export const PredictiveForecastOutput = z.object({
  method: ForecastMethod.describe('The model the backtest chose, refit on the whole series.'),
  forecast: z.array(ForecastedPoint),
  baseline: z.object({
    method: z.literal('seasonal_naive'),
    forecast: z.array(z.object({ timestamp: z.string(), value: z.number() })),
  }),
  backtest: z
    .object({
      mase: z
        .number()
        .nullable()
        .describe(
          'Mean absolute scaled error of the model selection: at each origin after the first, the method with the lowest error on the earlier origins, scored on that one. Null when the history repeats exactly every season.',
        ),
      smape: z.number().describe('Symmetric mean absolute percentage error of the same selection, 0–200.'),
      baseline_mase: z
        .number()
        .nullable()
        .describe('Mean absolute scaled error of the seasonal naive baseline, on the same origins.'),
      no_driver_mase: z
        .number()
        .nullable()
        .optional()
        .describe(
          'When drivers were given: the same selection among the methods that ignore them, for comparison.',
        ),
      origins: z.int().describe('Forecast origins in the backtest (up to 5); the first only ranks methods.'),
    })
    .describe("Rolling-origin backtest on the series' own tail; below 1 beats the in-sample seasonal naive."),
});
export type PredictiveForecastOutput = z.infer<typeof PredictiveForecastOutput>;

export const PredictiveForecast = defineJob({
  type: 'predictive.forecast',
  queue: 'predictive',
  summary:
    'Forecast a daily or weekly time series, with prediction intervals and a backtest against seasonal naive',
  input: PredictiveForecastInput,
  output: PredictiveForecastOutput,
  // The fit is deterministic: a retry only helps when the engine process itself died.
  defaults: { attempts: 2, timeoutMs: 60_000 },
  errors: ['SERIES_INVALID'],
  examples: [
    {
      horizon: 3,
      // Two weeks of daily values: the least a daily series needs (two seasons of 7 days).
      series: [10, 12, 11, 13, 12, 14, 13, 15, 14, 16, 15, 17, 16, 18].map((value, day) => ({
        timestamp: new Date(Date.UTC(2026, 0, 1 + day)).toISOString(),
        value,
      })),
    },
  ],
});

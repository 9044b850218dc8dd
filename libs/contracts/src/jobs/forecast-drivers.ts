import { z } from 'zod';
import { ForecastTimestamp } from './forecast-timestamp.js';

export const forecastDriverLimits = {
  /** Covariates per point: each is a regression column, and a fit needs many more points than columns. */
  maxCovariates: 20,
  maxEvents: 10_000,
} as const;

const finite = (what: string) =>
  z.number({
    error: (issue) => `${what} must be a finite number, got ${JSON.stringify(issue.input) ?? 'nothing'}`,
  });

export const ForecastCovariates = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, {
      error: 'a covariate name is a letter or _, then up to 63 letters, digits, _ . or -',
    }),
    finite('a covariate'),
  )
  .refine((covariates) => Object.keys(covariates).length <= forecastDriverLimits.maxCovariates, {
    error: `at most ${forecastDriverLimits.maxCovariates} covariates per point`,
  })
  .describe(
    'Known drivers of this point, e.g. { "promotion": 1, "price": 4.99 }; the same names on every point.',
  );
export type ForecastCovariates = z.infer<typeof ForecastCovariates>;

export const ForecastFutureCovariates = z
  .array(z.object({ timestamp: ForecastTimestamp, covariates: ForecastCovariates }))
  .describe(
    'The covariates of each forecast step, one entry per step of the horizon in order; required when the series has covariates.',
  );
export type ForecastFutureCovariates = z.infer<typeof ForecastFutureCovariates>;

export const ForecastEvent = z.object({
  date: z.iso.date({ error: 'date must be an RFC 3339 date, e.g. 2024-11-29' }),
  name: z.string().trim().min(1, { error: 'an event needs a name' }).max(100),
});
export type ForecastEvent = z.infer<typeof ForecastEvent>;

export const ForecastEvents = z
  .array(ForecastEvent)
  .max(forecastDriverLimits.maxEvents, { error: `at most ${forecastDriverLimits.maxEvents} events` })
  .describe(
    'Dated events in the history and the horizon (campaigns, closures, holidays): each name gets its own effect, shrunk toward the effect of all events.',
  );

export const ForecastHolidays = z
  .object({
    country: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, {
      error: 'country must be an ISO 3166-1 code, optionally with a region: US, DE, DE-BY',
    }),
  })
  .describe('Public and bank holidays of this country (the date-holidays package) as events.');
export type ForecastHolidays = z.infer<typeof ForecastHolidays>;

interface DriverIssue {
  path: (string | number)[];
  message: string;
}

const keysOf = (covariates: ForecastCovariates | undefined): string =>
  Object.keys(covariates ?? {})
    .sort()
    .join(', ');

/**
 * The covariate problems of one series: every point names the same covariates, and covariates in the
 * history need one future entry per horizon step, at the steps the forecast will have. Only the first
 * problem of each kind is reported, as for timestamps.
 */
export function findCovariateIssues(
  series: readonly { covariates?: ForecastCovariates | undefined }[],
  future: ForecastFutureCovariates | undefined,
  expected: { horizon: number; futureTimes: readonly number[]; toleranceMs: number },
): DriverIssue[] {
  const names = keysOf(series[0]?.covariates);
  const mismatch = series.findIndex((point) => keysOf(point.covariates) !== names);
  if (mismatch >= 0) {
    return [
      {
        path: ['series', mismatch, 'covariates'],
        message: `every point needs the same covariates as the first (${names || 'none'}), got ${keysOf(series[mismatch]?.covariates) || 'none'}`,
      },
    ];
  }
  if (names === '') {
    return future === undefined
      ? []
      : [
          {
            path: ['future_covariates'],
            message: 'future_covariates given, but the series has no covariates',
          },
        ];
  }
  if (future === undefined) {
    return [
      {
        path: ['future_covariates'],
        message: `the series has covariates (${names}): give their values for each of the ${expected.horizon} forecast steps`,
      },
    ];
  }
  if (future.length !== expected.horizon) {
    return [
      {
        path: ['future_covariates'],
        message: `future_covariates has ${future.length} entries; the horizon needs exactly ${expected.horizon}`,
      },
    ];
  }
  const misplaced = future.findIndex(
    (entry, i) =>
      Math.abs(Date.parse(entry.timestamp) - (expected.futureTimes[i] ?? 0)) > expected.toleranceMs,
  );
  if (misplaced >= 0) {
    return [
      {
        path: ['future_covariates', misplaced, 'timestamp'],
        message: `entry ${misplaced} must be forecast step ${misplaced + 1}, ${new Date(expected.futureTimes[misplaced] ?? 0).toISOString()}`,
      },
    ];
  }
  const unnamed = future.findIndex((entry) => keysOf(entry.covariates) !== names);
  return unnamed < 0
    ? []
    : [
        {
          path: ['future_covariates', unnamed, 'covariates'],
          message: `every step needs the series' covariates (${names}), got ${keysOf(future[unnamed]?.covariates) || 'none'}`,
        },
      ];
}

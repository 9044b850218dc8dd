import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';
import { ForecastFutureCovariates } from './forecast-drivers.js';
import {
  findSeriesIssues,
  ForecastSeries,
  forecastOptionFields,
  PredictiveForecastOutput,
} from './predictive-forecast.js';
import { ColumnName, DatasetFormat } from './predictive-model.js';

export const forecastBatchLimits = {
  maxItems: 1_000,
  /** Points across all items: bounds the job's memory and its run time (about 1 s per 10 000 points). */
  maxTotalPoints: 500_000,
} as const;

export const ForecastBatchItem = z.object({
  id: z
    .string()
    .min(1, { error: 'id must not be empty' })
    .max(200)
    .describe("The caller's name for the series, e.g. a SKU."),
  series: ForecastSeries,
  future_covariates: ForecastFutureCovariates.optional(),
});
export type ForecastBatchItem = z.infer<typeof ForecastBatchItem>;

/** A problem of a batch's items, its path relative to `items`. */
export interface ForecastBatchIssue {
  path: (string | number)[];
  message: string;
}

/**
 * The problems of a batch's items under the request's options: repeated ids, each series' own (length,
 * spacing, horizon, covariates) and the points across all items. For items posted as JSON (the gateway's
 * 422) and for items read from an uploaded file (the worker's SERIES_INVALID) alike.
 */
export function findForecastBatchIssues(
  items: readonly ForecastBatchItem[],
  options: Parameters<typeof findSeriesIssues>[1],
): ForecastBatchIssue[] {
  const issues: ForecastBatchIssue[] = [];
  const seen = new Map<string, number>();
  let points = 0;
  items.forEach((item, i) => {
    points += item.series.length;
    const earlier = seen.get(item.id);
    if (earlier !== undefined)
      issues.push({ path: [i, 'id'], message: `id ${item.id} repeats item ${earlier}` });
    seen.set(item.id, i);
    for (const issue of findSeriesIssues(item, options)) {
      issues.push({ path: [i, ...issue.path], message: issue.message });
    }
  });
  if (items.length > forecastBatchLimits.maxItems) {
    issues.push({ path: [], message: `items may hold at most ${forecastBatchLimits.maxItems} series` });
  }
  if (points > forecastBatchLimits.maxTotalPoints) {
    issues.push({
      path: [],
      message: `items hold ${points} points; at most ${forecastBatchLimits.maxTotalPoints} in one job`,
    });
  }
  return issues;
}

export const PredictiveForecastBatchInput = z
  .object({
    items: z
      .array(ForecastBatchItem, { error: 'items must be an array of { id, series } objects' })
      .min(1, { error: 'items needs at least one series' })
      .max(forecastBatchLimits.maxItems, {
        error: `items may hold at most ${forecastBatchLimits.maxItems} series`,
      })
      .optional()
      .describe('The series, each with its id; or `file`.'),
    file: BlobRef.optional().describe(
      'The series as an uploaded file instead of `items`, for batches past the JSON body limit: JSONL with ' +
        'one item (`{ id, series, future_covariates? }`) per line, or CSV with the columns of ' +
        '`id_column`, `timestamp_column` and `value_column`, one row per point, each series in time order.',
    ),
    format: DatasetFormat,
    id_column: ColumnName.default('id').describe("CSV: the column naming each row's series."),
    timestamp_column: ColumnName.default('timestamp').describe("CSV: the column of each point's time."),
    value_column: ColumnName.default('value').describe("CSV: the column of each point's value."),
    ...forecastOptionFields,
  })
  .superRefine((input, ctx) => {
    if ((input.items === undefined) === (input.file === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'give one of `items` or `file`' });
    }
    // The items of a file are checked the same way by the worker, once it has read them.
    for (const issue of findForecastBatchIssues(input.items ?? [], input)) {
      ctx.addIssue({ code: 'custom', path: ['items', ...issue.path], message: issue.message });
    }
  });
export type PredictiveForecastBatchInput = z.infer<typeof PredictiveForecastBatchInput>;

export const PredictiveForecastBatchOutput = z.object({
  results: z
    .array(z.object({ id: z.string(), ...PredictiveForecastOutput.shape }))
    .describe('One forecast per item, in input order, each with its own method, intervals and backtest.'),
});
export type PredictiveForecastBatchOutput = z.infer<typeof PredictiveForecastBatchOutput>;

export const PredictiveForecastBatch = defineJob({
  type: 'predictive.forecast-batch',
  queue: 'predictive',
  summary: 'Forecast many series (a batch of SKUs) in one job, each with its own backtested method',
  input: PredictiveForecastBatchInput,
  output: PredictiveForecastBatchOutput,
  defaults: { attempts: 2, timeoutMs: 600_000 },
  errors: ['SERIES_INVALID'],
  examples: [
    {
      horizon: 2,
      items: ['sku-1', 'sku-2'].map((id, k) => ({
        id,
        series: [10, 12, 11, 13, 12, 14, 13, 15, 14, 16, 15, 17, 16, 18].map((value, day) => ({
          timestamp: new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10),
          value: value + k,
          covariates: { promotion: day % 5 === 0 ? 1 : 0 },
        })),
        future_covariates: [
          { timestamp: '2026-01-15', covariates: { promotion: 1 } },
          { timestamp: '2026-01-16', covariates: { promotion: 0 } },
        ],
      })),
    },
  ],
});

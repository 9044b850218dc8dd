import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';
import {
  ColumnName,
  DatasetFormat,
  MalformedRowPolicy,
  RegistryModelRef,
  SkippedRow,
} from './predictive-model.js';

export const fraudRecallTarget = 0.8;

export const PredictiveTrainFraudInput = z
  .object({
    file: BlobRef,
    format: DatasetFormat,
    label_column: ColumnName.describe('Column holding the label: 1/0, true/false or yes/no.'),
    feature_columns: z
      .array(ColumnName)
      .min(1)
      .max(64)
      .optional()
      .describe('Columns the model reads; every column but the label and time when left out.'),
    categorical_columns: z
      .array(ColumnName)
      .max(64)
      .default([])
      .describe('Feature columns holding categories (one-hot encoded); the others must be numbers.'),
    time_column: ColumnName.optional().describe(
      'Orders rows in time: validation is the latest 20 %. File order when left out.',
    ),
    on_malformed: MalformedRowPolicy,
  })
  .superRefine((input, ctx) => {
    const features = input.feature_columns;
    input.categorical_columns.forEach((column, i) => {
      if (features && !features.includes(column)) {
        ctx.addIssue({
          code: 'custom',
          path: ['categorical_columns', i],
          message: `categorical column ${column} is not one of feature_columns`,
        });
      }
    });
    features?.forEach((column, i) => {
      if (column === input.label_column || column === input.time_column) {
        ctx.addIssue({
          code: 'custom',
          path: ['feature_columns', i],
          message: `${column} is the label or time column, so it cannot be a feature`,
        });
      }
    });
  });
export type PredictiveTrainFraudInput = z.infer<typeof PredictiveTrainFraudInput>;

export const FraudMetrics = z.object({
  roc_auc: z.number().describe('Area under the ROC curve on the validation split.'),
  average_precision: z.number().describe('Area under the precision-recall curve (average precision).'),
  precision_at_recall: z.object({
    recall: z.number(),
    precision: z.number(),
    threshold: z
      .number()
      .describe('The score at which that recall is reached; the default decision threshold.'),
  }),
  train_rows: z.int(),
  validation_rows: z.int(),
  positive_rate: z.number(),
  skipped_rows: z.array(SkippedRow).describe('Rows left out under `on_malformed: "skip"` (the first 100).'),
});
export type FraudMetrics = z.infer<typeof FraudMetrics>;

export const PredictiveTrainFraudOutput = z.object({
  model: RegistryModelRef,
  metrics: FraudMetrics.describe('On a time-ordered split: trained on the earlier 80 %, scored on the rest.'),
});
export type PredictiveTrainFraudOutput = z.infer<typeof PredictiveTrainFraudOutput>;

export const PredictiveTrainFraud = defineJob({
  type: 'predictive.train-fraud',
  queue: 'predictive',
  summary:
    'Train a fraud model (logistic regression with interactions, ONNX) from a labelled CSV or JSONL file into the registry',
  input: PredictiveTrainFraudInput,
  output: PredictiveTrainFraudOutput,
  // Training is deterministic: a retry only helps when the engine process itself died.
  defaults: { attempts: 2, timeoutMs: 300_000 },
  errors: ['DATASET_INVALID', 'DATASET_ONE_CLASS'],
  examples: [
    {
      file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' },
      format: 'csv',
      label_column: 'is_fraud',
    },
  ],
});

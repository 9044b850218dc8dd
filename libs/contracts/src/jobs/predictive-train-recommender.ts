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

export const PredictiveTrainRecommenderInput = z.object({
  file: BlobRef,
  format: DatasetFormat,
  user_column: ColumnName.default('user').describe('Column holding the user id.'),
  item_column: ColumnName.default('item').describe('Column holding the item id.'),
  weight_column: ColumnName.optional().describe(
    'Strength of each interaction (a positive number); 1 when left out.',
  ),
  time_column: ColumnName.optional().describe(
    "Orders each user's interactions: the latest one is held out for validation. File order when left out.",
  ),
  on_malformed: MalformedRowPolicy,
});
export type PredictiveTrainRecommenderInput = z.infer<typeof PredictiveTrainRecommenderInput>;

export const PredictiveTrainRecommenderOutput = z.object({
  model: RegistryModelRef,
  metrics: z
    .object({
      users: z.int(),
      items: z.int(),
      interactions: z.int(),
      recall_at_10: z
        .number()
        .nullable()
        .describe('Share of users whose held-out latest item is in their top 10; null with too few users.'),
      popularity_recall_at_10: z.number().nullable().describe('The same for the most-popular baseline.'),
      skipped_rows: z
        .array(SkippedRow)
        .describe('Rows left out under `on_malformed: "skip"` (the first 100).'),
    })
    .describe(
      "Leave-latest-out validation: each user's latest interaction is hidden, the rest train the model.",
    ),
});
export type PredictiveTrainRecommenderOutput = z.infer<typeof PredictiveTrainRecommenderOutput>;

export const PredictiveTrainRecommender = defineJob({
  type: 'predictive.train-recommender',
  queue: 'predictive',
  summary:
    'Train an item-item collaborative filtering recommender from implicit feedback (CSV or JSONL) into the registry',
  input: PredictiveTrainRecommenderInput,
  output: PredictiveTrainRecommenderOutput,
  defaults: { attempts: 2, timeoutMs: 300_000 },
  errors: ['DATASET_INVALID'],
  examples: [
    {
      file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' },
      format: 'csv',
      user_column: 'user',
      item_column: 'item',
    },
  ],
});

import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { ModelVersion } from './predictive-model.js';

const EntityId = z.string().min(1).max(200);

export const PredictiveRecommendInput = z
  .object({
    user_id: EntityId.optional().describe('Top items for this user.'),
    item_id: EntityId.optional().describe('Items similar to this one.'),
    k: z.int().min(1).max(100).default(10).describe('How many items to return.'),
    include_seen: z.boolean().default(false).describe('Also return items the user already interacted with.'),
    model_version: ModelVersion.optional(),
  })
  .refine((input) => (input.user_id === undefined) !== (input.item_id === undefined), {
    path: ['user_id'],
    error: 'give exactly one of user_id and item_id',
  });
export type PredictiveRecommendInput = z.infer<typeof PredictiveRecommendInput>;

export const PredictiveRecommendOutput = z.object({
  items: z.array(z.object({ item_id: z.string(), score: z.number() })),
  fallback: z
    .boolean()
    .describe('true when the user is unknown to the model, so the items are the most popular ones.'),
});
export type PredictiveRecommendOutput = z.infer<typeof PredictiveRecommendOutput>;

export const PredictiveRecommend = defineJob({
  type: 'predictive.recommend',
  queue: 'predictive',
  summary:
    'Top-k items for a user (popularity fallback for unknown users, flagged) or items similar to an item',
  input: PredictiveRecommendInput,
  output: PredictiveRecommendOutput,
  defaults: { attempts: 2, timeoutMs: 30_000 },
  errors: ['ITEM_NOT_FOUND', 'MODEL_VERSION_NOT_FOUND', 'MODEL_UNAVAILABLE'],
  examples: [{ user_id: 'user_42', k: 5 }],
});

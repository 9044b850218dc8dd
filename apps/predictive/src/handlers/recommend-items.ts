import type { PredictiveRecommend } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { RecommenderEngine } from '../recommender/create-recommender-engine.js';

/** `predictive.recommend`: top-k for a user (popularity when unknown, flagged) or similar items for an item. */
export const recommendItems: Handler<typeof PredictiveRecommend, { recommender: RecommenderEngine }> = async (
  input,
  ctx,
  { recommender },
) => {
  const { info, ...output } = await recommender.recommend(input);
  ctx.useModel(info);
  return output;
};

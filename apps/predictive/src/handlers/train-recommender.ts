import type { PredictiveTrainRecommender } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { RecommenderEngine } from '../recommender/create-recommender-engine.js';

/** `predictive.train-recommender`: interactions file → item-item CF → a registry version. */
export const trainRecommender: Handler<
  typeof PredictiveTrainRecommender,
  { recommender: RecommenderEngine }
> = async (input, ctx, { recommender }) => recommender.train(await ctx.readBlob(input.file), input);

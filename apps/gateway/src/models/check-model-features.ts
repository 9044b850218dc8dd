import {
  featureIssues,
  fraudModelName,
  PredictiveFraudScore,
  type PredictiveFraudScoreInput,
} from '@gantry/contracts';
import type { ValidationIssue } from '../catalogue/catalogue-entry.js';
import type { ModelFeaturesCache } from './model-features-cache.js';

/** Why an input that fits its job type's schema still cannot run; null when it can (or nobody can tell). */
export type InputCheck = (
  type: string,
  input: unknown,
) => Promise<{ message: string; issues: ValidationIssue[] } | null>;

/**
 * Checks the transactions of `predictive.fraud-score` (already parsed by its schema) against the input
 * features of the registry version they would run on: the pinned one, else the promoted one. Other job
 * types pass. An unknown pinned version rejects with `MODEL_VERSION_NOT_FOUND`.
 */
export function checkModelFeatures(cache: ModelFeaturesCache): InputCheck {
  return async (type, input) => {
    if (type !== PredictiveFraudScore.type) return null;
    const { transactions, model_version } = input as PredictiveFraudScoreInput;
    const model = await cache.features(fraudModelName, model_version);
    const issues = model ? featureIssues(model.features, transactions) : [];
    if (!model || issues.length === 0) return null;
    return {
      message: `${issues.length} feature problem(s) for model ${model.name}@${model.version}, e.g. ${issues[0]?.message}`,
      issues,
    };
  };
}

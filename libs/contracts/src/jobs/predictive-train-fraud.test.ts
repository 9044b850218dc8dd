import { describe, expect, it } from 'vitest';
import { PredictiveFraudScoreInput } from './predictive-fraud-score.js';
import { PredictiveRecommendInput } from './predictive-recommend.js';
import { PredictiveTrainFraudInput } from './predictive-train-fraud.js';

const file = { blob_id: 'b1' };
const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path) ?? [];

describe('predictive model contracts', () => {
  it('train-fraud: fills the policy, refuses categoricals outside the features and the label as a feature', () => {
    expect(PredictiveTrainFraudInput.parse({ file, label_column: 'y' })).toMatchObject({
      on_malformed: 'fail',
      categorical_columns: [],
    });
    const result = PredictiveTrainFraudInput.safeParse({
      file,
      label_column: 'y',
      feature_columns: ['amount', 'y'],
      categorical_columns: ['country'],
    });
    expect(paths(result)).toEqual([
      ['categorical_columns', 0],
      ['feature_columns', 1],
    ]);
  });

  it('fraud-score: leaves feature types to the worker (the model version knows them), refuses bad versions and thresholds', () => {
    expect(PredictiveFraudScoreInput.safeParse({ transactions: [{ amount: 'NaN' }] }).success).toBe(true);
    expect(
      paths(
        PredictiveFraudScoreInput.safeParse({ transactions: [{}], model_version: '../1', threshold: -1 }),
      ),
    ).toEqual([['model_version'], ['threshold']]);
  });

  it('recommend: exactly one of user_id and item_id, k defaulting to 10', () => {
    expect(PredictiveRecommendInput.parse({ user_id: 'u1' })).toMatchObject({ k: 10, include_seen: false });
    expect(paths(PredictiveRecommendInput.safeParse({}))).toEqual([['user_id']]);
    expect(paths(PredictiveRecommendInput.safeParse({ user_id: 'u', item_id: 'i' }))).toEqual([['user_id']]);
  });
});

import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { ModelVersion, RegistryModelRef } from './predictive-model.js';

/** The registry name of fraud models: the one `predictive.fraud-score` reads, `predictive.train-fraud` writes. */
export const fraudModelName = 'fraud';

export const fraudScoreLimits = { maxTransactions: 10_000, topFeatures: 3 } as const;

/** A feature value as JSON carries it; which type each feature needs is in the model's manifest. */
const FeatureValue = z.union([z.number(), z.string().max(200), z.boolean(), z.null()]);

export const PredictiveFraudScoreInput = z.object({
  transactions: z
    .array(z.record(z.string().max(200), FeatureValue), {
      error: 'transactions must be an array of { column: value } objects',
    })
    .min(1, { error: 'give at least one transaction' })
    .max(fraudScoreLimits.maxTransactions, {
      error: `at most ${fraudScoreLimits.maxTransactions} transactions per job`,
    })
    .describe(
      "Each transaction's features by column name, as the model version's input schema lists them. A " +
        'missing, extra or mistyped (or non-finite) feature is refused with 422 VALIDATION_FAILED naming each ' +
        'field when a live predictive worker tells the gateway the schema; else the job fails with it. An ' +
        'unknown pinned `model_version` is refused with 404 MODEL_VERSION_NOT_FOUND.',
    ),
  model_version: ModelVersion.optional(),
  threshold: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Probability at or above which `decision` is true; the model's threshold when left out."),
});
export type PredictiveFraudScoreInput = z.infer<typeof PredictiveFraudScoreInput>;

export const PredictiveFraudScoreOutput = z.object({
  results: z.array(
    z.object({
      probability: z.number().describe('Probability of fraud, 0–1.'),
      decision: z.boolean().describe('probability ≥ threshold'),
      top_features: z
        .array(z.object({ feature: z.string(), contribution: z.number() }))
        .describe('Features that pushed the log-odds most, either way (signed contribution, log-odds).'),
    }),
  ),
  model: RegistryModelRef,
});
export type PredictiveFraudScoreOutput = z.infer<typeof PredictiveFraudScoreOutput>;

export const PredictiveFraudScore = defineJob({
  type: 'predictive.fraud-score',
  queue: 'predictive',
  summary:
    'Score transactions for fraud with a registry model on onnxruntime: probability, decision, top features',
  input: PredictiveFraudScoreInput,
  output: PredictiveFraudScoreOutput,
  defaults: { attempts: 2, timeoutMs: 30_000 },
  errors: ['VALIDATION_FAILED', 'MODEL_VERSION_NOT_FOUND', 'MODEL_UNAVAILABLE'],
  examples: [{ transactions: [{ amount: 129.9, country: 'DE', hour: 14, card_present: false }] }],
});

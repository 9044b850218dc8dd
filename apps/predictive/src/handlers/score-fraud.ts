import type { PredictiveFraudScore } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { FraudEngine } from '../fraud/create-fraud-engine.js';

/** `predictive.fraud-score`: transactions → the pinned (else promoted) registry version on onnxruntime. */
export const scoreFraud: Handler<typeof PredictiveFraudScore, { fraud: FraudEngine }> = async (
  input,
  ctx,
  { fraud },
) => {
  const { info, ...output } = await fraud.score(input);
  ctx.useModel(info);
  return output;
};

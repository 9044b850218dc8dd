import type { PredictiveTrainFraud } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { FraudEngine } from '../fraud/create-fraud-engine.js';

/** `predictive.train-fraud`: labelled file → logistic regression with interactions → ONNX → a registry version. */
export const trainFraud: Handler<typeof PredictiveTrainFraud, { fraud: FraudEngine }> = async (
  input,
  ctx,
  { fraud },
) => fraud.train(await ctx.readBlob(input.file), input, { signal: ctx.signal });

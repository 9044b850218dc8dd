import type { PredictiveForecastBatch } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { ForecastEngine } from '../engine/create-forecast-engine.js';
import { forecastRequest } from './forecast-request.js';
import { readForecastItems } from './read-forecast-items.js';

/**
 * `predictive.forecast-batch`: each item, posted or read from the uploaded file, is forecast on its own, in
 * order; progress counts items.
 */
export const forecastBatch: Handler<typeof PredictiveForecastBatch, { forecaster: ForecastEngine }> = async (
  input,
  ctx,
  { forecaster },
) => {
  const { items: posted, file, ...shared } = input;
  // The contract admits exactly one of the two.
  const items = posted ?? (file ? readForecastItems(await ctx.readBlob(file), input) : []);
  const results = [];
  for (const [i, item] of items.entries()) {
    const result = await forecaster.forecast(forecastRequest(item, shared), { signal: ctx.signal });
    results.push({ id: item.id, ...result });
    ctx.progress(Math.round((100 * (i + 1)) / items.length), `${i + 1} of ${items.length} series`);
  }
  return { results };
};

/**
 * `npx nx run @gantry/predictive-models:train-default-fraud [-- DIR]`: generates the documented synthetic
 * transactions (see synthetic-fraud.ts; 50,000 rows, seed 17) and trains the default fraud model into the
 * registry at DIR (else PREDICTIVE_REGISTRY_DIR, else .gantry/model-registry). Deterministic: the same
 * data and the same weights every run; the first version of a name is promoted at once.
 */
import path from 'node:path';
import { createFraudEngine, createModelRegistry } from '@gantry/predictive-worker/model-engines';
import { syntheticFraud, toCsv } from './synthetic-fraud.js';

const dir = path.resolve(
  process.argv[2] ?? process.env['PREDICTIVE_REGISTRY_DIR'] ?? '.gantry/model-registry',
);
const registry = createModelRegistry(dir);
const engine = await createFraudEngine({ registry, intraOpNumThreads: 1 });
const csv = toCsv(syntheticFraud(50_000, 17));
const result = await engine.train(new TextEncoder().encode(csv), {
  file: { blob_id: 'synthetic-fraud' },
  label_column: 'is_fraud',
  time_column: 'time',
  categorical_columns: ['merchant_category'],
  on_malformed: 'fail',
});
await engine.close();
console.log(`fraud model ${result.model.version} in ${dir}:`, JSON.stringify(result.metrics));

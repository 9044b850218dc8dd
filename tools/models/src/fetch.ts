/**
 * `npm run models:fetch [-- [--from DIR] [MODELS_DIR]]`: puts every model file into MODELS_DIR
 * (default .gantry/models), downloading it from its upstream release — or copying it from DIR,
 * for machines without internet — and refusing any file whose sha256 differs.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fetchModelAssets } from './fetch-model-assets.js';
import { modelManifest } from './model-manifest.js';

const { values, positionals } = parseArgs({
  options: { from: { type: 'string' } },
  allowPositionals: true,
});
const complete = await fetchModelAssets(modelManifest, {
  modelsDir: path.resolve(positionals[0] ?? process.env['MODELS_DIR'] ?? '.gantry/models'),
  ...(values.from === undefined ? {} : { from: path.resolve(values.from) }),
  log: (line) => console.log(line),
});
process.exitCode = complete ? 0 : 1;

/**
 * `npm run models:fetch [-- [--from DIR] [MODELS_DIR]]`: puts every model file into MODELS_DIR
 * (default .gantry/models), downloading it from its upstream release — or copying it from DIR,
 * for machines without internet — and refusing any file whose sha256 differs.
 * `npm run models:fetch -- --classifier [--from DIR] [MODELS_DIR]`: also the ImageNet classifier
 * (MobileNetV2) of vision.classify into MODELS_DIR/classifier.
 * `npm run models:fetch -- --test-assets [--from DIR] [SHARED_DIR]`: the models and the public test
 * files into SHARED_DIR (default ../shared, where the tests look), laid out as `models/` and `fixtures/`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { classifierAssets } from './classifier-assets.js';
import { fetchModelAssets } from './fetch-model-assets.js';
import { modelManifest } from './model-manifest.js';
import { testAssetManifest } from './test-asset-manifest.js';

const { values, positionals } = parseArgs({
  options: {
    from: { type: 'string' },
    'test-assets': { type: 'boolean', default: false },
    classifier: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const testAssets = values['test-assets'];
const defaultDir = testAssets ? '../shared' : (process.env['MODELS_DIR'] ?? '.gantry/models');
const assets = testAssets
  ? testAssetManifest
  : [...modelManifest, ...(values.classifier ? classifierAssets : [])];
const complete = await fetchModelAssets(assets, {
  modelsDir: path.resolve(positionals[0] ?? defaultDir),
  ...(values.from === undefined ? {} : { from: path.resolve(values.from) }),
  log: (line) => console.log(line),
});
process.exitCode = complete ? 0 : 1;

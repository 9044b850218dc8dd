/**
 * `npx nx run @gantry/vision-models:write-colour-classifier -- [FOLDER] [--layout NHWC] [--colour-order BGR] [--output softmax]`:
 * writes the dominant-colour ONNX classifier, its labels and its manifest.json into FOLDER
 * (default `$MODELS_DIR/classifier`, MODELS_DIR defaulting to .gantry/models), where the vision
 * worker loads it for `vision.classify` and `vision.tags`. A stand-in for an ImageNet model on
 * machines that cannot fetch one; it really classifies (by mean colour).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeColourClassifier } from '@gantry/vision-worker/colour-classifier';

const { values, positionals } = parseArgs({
  options: {
    layout: { type: 'string', default: 'NCHW' },
    'colour-order': { type: 'string', default: 'RGB' },
    output: { type: 'string', default: 'logits' },
  },
  allowPositionals: true,
});
const oneOf = <const T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T => {
  if (allowed.includes(value as T)) return value as T;
  throw new Error(`--${name} must be one of ${allowed.join(', ')}`);
};
const folder = path.resolve(
  positionals[0] ?? path.join(process.env['MODELS_DIR'] ?? '.gantry/models', 'classifier'),
);
const manifest = await writeColourClassifier(folder, {
  layout: oneOf('layout', values.layout, ['NCHW', 'NHWC'] as const),
  colourOrder: oneOf('colour-order', values['colour-order'], ['RGB', 'BGR'] as const),
  output: oneOf('output', values.output, ['logits', 'softmax'] as const),
});
console.log(`written  ${path.join(folder, manifest.model_file)} (sha256 ${manifest.model_sha256})`);
console.log(
  `written  ${path.join(folder, 'manifest.json')}: ${manifest.input.layout} ${manifest.input.colour_order}, ${manifest.output}`,
);

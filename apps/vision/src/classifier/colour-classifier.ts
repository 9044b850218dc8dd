import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';
import type { ClassifierManifest } from './classifier-manifest.js';

// onnx-proto is CommonJS: Node's ESM loader sees only its default export.
const { onnx } = onnxProto;
const { FLOAT } = onnx.TensorProto.DataType;
const { INT, INTS } = onnx.AttributeProto.AttributeType;

/** The colours the classifier tells apart, with their RGB prototypes (0–1). */
export const colourPrototypes = {
  black: [0, 0, 0],
  white: [1, 1, 1],
  grey: [0.5, 0.5, 0.5],
  red: [1, 0, 0],
  green: [0, 1, 0],
  blue: [0, 0, 1],
  yellow: [1, 1, 0],
  cyan: [0, 1, 1],
  magenta: [1, 0, 1],
} as const satisfies Record<string, readonly [number, number, number]>;

export interface ColourClassifierOptions {
  /** Side of the square input. */
  size?: number;
  layout?: ClassifierManifest['input']['layout'];
  colourOrder?: ClassifierManifest['input']['colour_order'];
  /** `softmax` puts the softmax in the graph; `logits` leaves it to the engine. */
  output?: ClassifierManifest['output'];
  /** A number fixes the batch dimension; `N` leaves it free. */
  batch?: number | 'N';
}

/** How sharply the logits separate: exp(−temperature · squared colour distance). */
const temperature = 12;

/**
 * A real ONNX image classifier whose answer is known: global average pooling gives the mean colour
 * c of the image (0–1), and a fixed linear layer scores each class k with −t·|c − p_k|² (up to a
 * term equal for every class) = c · (2t·p_k) − t·|p_k|². So a mostly red image is "red", a dark one
 * "black". Tests and demos use it where no ImageNet weights can be fetched; it is never a fake:
 * onnxruntime runs it like any other model.
 */
export function buildColourClassifier({
  size = 32,
  layout = 'NCHW',
  colourOrder = 'RGB',
  output = 'logits',
  batch = 'N',
}: ColourClassifierOptions = {}): {
  model: Uint8Array;
  labels: string[];
  manifestInput: ClassifierManifest['input'];
} {
  const labels = Object.keys(colourPrototypes);
  const prototypes: readonly (readonly number[])[] = Object.values(colourPrototypes);
  const channels = colourOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  // weights[channel][class], channel in the model's colour order.
  const weights = channels.flatMap((source) => prototypes.map((p) => 2 * temperature * (p[source] ?? 0)));
  const bias = prototypes.map((p) => -temperature * p.reduce((sum, v) => sum + v * v, 0));
  const batchDim = typeof batch === 'number' ? { dimValue: batch } : { dimParam: batch };
  const inputDims =
    layout === 'NCHW'
      ? [batchDim, { dimValue: 3 }, { dimValue: size }, { dimValue: size }]
      : [batchDim, { dimValue: size }, { dimValue: size }, { dimValue: 3 }];
  const node = (
    opType: string,
    input: string[],
    outputs: string[],
    attribute: OnnxTypes.IAttributeProto[] = [],
  ) => onnx.NodeProto.create({ opType, input, output: outputs, attribute, name: outputs[0] });

  const nodes = [
    ...(layout === 'NHWC'
      ? [node('Transpose', ['image'], ['nchw'], [{ name: 'perm', type: INTS, ints: [0, 3, 1, 2] }])]
      : []),
    node('GlobalAveragePool', [layout === 'NHWC' ? 'nchw' : 'image'], ['pooled']),
    node('Flatten', ['pooled'], ['mean_colour'], [{ name: 'axis', type: INT, i: 1 }]),
    node('Gemm', ['mean_colour', 'weights', 'bias'], [output === 'logits' ? 'scores' : 'logits']),
    ...(output === 'softmax'
      ? [node('Softmax', ['logits'], ['scores'], [{ name: 'axis', type: INT, i: 1 }])]
      : []),
  ];
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'gantry-vision-models',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'colour_classifier',
      node: nodes,
      initializer: [
        onnx.TensorProto.create({
          name: 'weights',
          dataType: FLOAT,
          dims: [3, labels.length],
          floatData: weights,
        }),
        onnx.TensorProto.create({ name: 'bias', dataType: FLOAT, dims: [labels.length], floatData: bias }),
      ],
      input: [
        onnx.ValueInfoProto.create({
          name: 'image',
          type: { tensorType: { elemType: FLOAT, shape: { dim: inputDims } } },
        }),
      ],
      output: [
        onnx.ValueInfoProto.create({
          name: 'scores',
          type: { tensorType: { elemType: FLOAT, shape: { dim: [batchDim, { dimValue: labels.length }] } } },
        }),
      ],
    },
  });
  return {
    model: onnx.ModelProto.encode(model).finish(),
    labels,
    manifestInput: {
      width: size,
      height: size,
      layout,
      colour_order: colourOrder,
      resize: 'stretch',
      scale: 255,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    },
  };
}

/**
 * Writes the colour classifier as an installed classifier folder: `colour-classifier.onnx`,
 * `labels.txt` and the `manifest.json` that describes them. Resolves to the manifest.
 */
export async function writeColourClassifier(
  folder: string,
  options: ColourClassifierOptions = {},
): Promise<ClassifierManifest> {
  const { model, labels, manifestInput } = buildColourClassifier(options);
  const manifest: ClassifierManifest = {
    name: 'colour-classifier',
    version: '1.0.0',
    model_file: 'colour-classifier.onnx',
    model_sha256: createHash('sha256').update(model).digest('hex'),
    labels_file: 'labels.txt',
    labels_format: 'lines',
    input: manifestInput,
    output: options.output ?? 'logits',
  };
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, manifest.model_file), model);
  await writeFile(path.join(folder, manifest.labels_file), `${labels.join('\n')}\n`);
  await writeFile(path.join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

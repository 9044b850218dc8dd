import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';

// onnx-proto is CommonJS: Node's ESM loader sees only its default export.
const { onnx } = onnxProto;

/** A logistic regression over standardized inputs and pairwise products of them. */
export interface LogisticGraphSpec {
  /** Columns of the `features` input. */
  width: number;
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
  /** Pairs of input columns whose standardized product is a term after the `width` plain ones. */
  pairs: readonly (readonly [number, number])[];
  weights: ArrayLike<number>;
  bias: number;
}

export const logisticTensors = {
  input: 'features',
  probability: 'probability',
  contributions: 'contributions',
} as const;

const { FLOAT, INT64 } = onnx.TensorProto.DataType;

const floats = (name: string, values: ArrayLike<number>, dims: number[]) =>
  onnx.TensorProto.create({ name, dataType: FLOAT, dims, floatData: Array.from(values) });
const int64s = (name: string, values: readonly number[]) =>
  onnx.TensorProto.create({ name, dataType: INT64, dims: [values.length], int64Data: [...values] });
const matrix = (name: string, columns: number | string) =>
  onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: [
            { dimParam: 'N' },
            typeof columns === 'number' ? { dimValue: columns } : { dimParam: columns },
          ],
        },
      },
    },
  });
const node = (
  opType: string,
  input: string[],
  output: string[],
  attribute: OnnxTypes.IAttributeProto[] = [],
) => onnx.NodeProto.create({ opType, input, output, attribute, name: output[0] });

/**
 * The ONNX graph (opset 17, standard operators only) of the model, so onnxruntime serves it:
 * z = (features − mean) / std; terms = [z, z[a] · z[b] for each pair]; contributions = terms · weights;
 * probability = sigmoid(Σ contributions + bias). Contributions are an output so the top features
 * come from the served model, not from a second implementation of it.
 */
export function buildLogisticGraph(spec: LogisticGraphSpec): Uint8Array {
  const terms = spec.width + spec.pairs.length;
  const nodes = [node('Sub', ['features', 'mean'], ['centered']), node('Div', ['centered', 'std'], ['z'])];
  const initializer = [
    floats('mean', spec.mean, [spec.width]),
    floats('std', spec.std, [spec.width]),
    floats('weights', spec.weights, [terms]),
    floats('bias', [spec.bias], [1]),
    int64s('sum_axes', [1]),
  ];
  if (spec.pairs.length > 0) {
    initializer.push(
      int64s(
        'left',
        spec.pairs.map(([a]) => a),
      ),
      int64s(
        'right',
        spec.pairs.map(([, b]) => b),
      ),
    );
    nodes.push(
      node(
        'Gather',
        ['z', 'left'],
        ['z_left'],
        [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      ),
      node(
        'Gather',
        ['z', 'right'],
        ['z_right'],
        [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      ),
      node('Mul', ['z_left', 'z_right'], ['products']),
      node(
        'Concat',
        ['z', 'products'],
        ['terms'],
        [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      ),
    );
  } else {
    nodes.push(node('Identity', ['z'], ['terms']));
  }
  nodes.push(
    node('Mul', ['terms', 'weights'], [logisticTensors.contributions]),
    node(
      'ReduceSum',
      [logisticTensors.contributions, 'sum_axes'],
      ['score'],
      [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
    ),
    node('Add', ['score', 'bias'], ['logit']),
    node('Sigmoid', ['logit'], [logisticTensors.probability]),
  );
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'gantry-predictive',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'fraud_logistic',
      node: nodes,
      initializer,
      input: [matrix(logisticTensors.input, spec.width)],
      output: [matrix(logisticTensors.probability, 1), matrix(logisticTensors.contributions, terms)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

import onnxProto from 'onnx-proto';

// onnx-proto is CommonJS: Node's ESM loader sees only its default export.
const { onnx } = onnxProto;

/** The shape YOLOX's export bakes into its three head Reshapes: batch 1, 85 values, cells. */
const headShape = [1n, 85n, -1n];

const int64s = (bytes: Uint8Array) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 8 }, (_, i) => view.getBigInt64(i * 8, true));
};

/**
 * The pinned YOLOX-Nano graph with a free batch dimension, so several images run in one session
 * call. The export fixes the batch at 1 in two places: the `images`/`output` shapes, and the
 * `[1, 85, -1]` target of the three head Reshapes, which become `[0, 85, -1]` (0: keep the
 * input's batch). Every other operator (convolutions, the Focus slices on H and W, 2× resizes)
 * is per image already (a batched row equals the same image run alone, bit for bit). Returns null when the graph is not the one expected, and the engine then
 * keeps batches of 1. The bytes hashed against the pin are the file's; this copy lives in memory.
 */
export function batchableYolox(model: Uint8Array): Uint8Array | null {
  const decoded = onnx.ModelProto.decode(model);
  const graph = decoded.graph;
  if (!graph) return null;
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name, tensor]));
  const heads = (graph.node ?? [])
    .filter((node) => node.opType === 'Reshape')
    .map((node) => initializers.get(node.input?.[1] ?? ''));
  const matches = (tensor: (typeof heads)[number]) =>
    tensor?.rawData && int64s(tensor.rawData).join() === headShape.join();
  if (heads.length !== 3 || !heads.every(matches)) return null;

  for (const tensor of heads) {
    const shape = new DataView(new ArrayBuffer(24));
    [0n, 85n, -1n].forEach((value, i) => shape.setBigInt64(i * 8, value, true));
    if (tensor) tensor.rawData = new Uint8Array(shape.buffer);
  }
  for (const value of [...(graph.input ?? []), ...(graph.output ?? [])]) {
    const first = value.type?.tensorType?.shape?.dim?.[0];
    if (!first) return null;
    first.dimValue = null;
    first.dimParam = 'N';
  }
  // The export's recorded intermediate shapes say batch 1 too; onnxruntime infers them again.
  graph.valueInfo = [];
  return onnx.ModelProto.encode(decoded).finish();
}

import { resizeBilinearWasm } from './resize-bilinear-wasm.js';

/**
 * The two source samples of each output position along one displayed axis: the byte offset of the
 * first, the offset from it to the second (`next`, the same for every position) and the second's
 * 11-bit weight.
 */
export interface AxisTaps {
  first: Int32Array;
  next: number;
  weight: Int32Array;
}

// @types/node 20 declares no WebAssembly (TypeScript's come with the DOM library): the little used here.
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface Kernel {
  memory: Memory;
  resize(
    src: number,
    dst: number,
    outWidth: number,
    outHeight: number,
    rowFirst: number,
    rowWeight: number,
    rowNext: number,
    colFirst: number,
    colWeight: number,
    colNext: number,
  ): void;
}

const compiled = new WebAssembly.Module(resizeBilinearWasm);
const instantiate = () => new WebAssembly.Instance(compiled).exports as unknown as Kernel;

// A WebAssembly memory keeps the largest size it has grown to. One instance serves every resize up
// to `keptBytes` (a 416 px letterbox from a 768×576 photo needs 1.7 MB); a larger one gets an
// instance of its own, collected with its memory once the resize returns.
const keptBytes = 16 * 1024 * 1024;
let kept: Kernel | undefined;

const pageBytes = 65_536;
const align4 = (offset: number) => Math.ceil(offset / 4) * 4;

/**
 * Runs resize-bilinear.wat's kernel over 8-bit RGB `pixels` (as stored) with the taps of each
 * displayed axis: `columns` for x, `rows` for y, their offsets in bytes from the first pixel.
 */
export function resizeInWasm(pixels: Uint8Array, columns: AxisTaps, rows: AxisTaps): Buffer {
  const width = columns.first.length;
  const height = rows.first.length;
  const rowFirst = 0;
  const rowWeight = rowFirst + 4 * height;
  const colFirst = rowWeight + 4 * height;
  const colWeight = colFirst + 4 * width;
  // The kernel reads and writes each pixel as 4 bytes: source and target keep 1 byte to spare.
  const src = colWeight + 4 * width;
  const dst = align4(src + pixels.length + 1);
  const targetBytes = width * height * 3;
  const end = dst + targetBytes + 1;
  const kernel = end <= keptBytes ? (kept ??= instantiate()) : instantiate();
  const { memory } = kernel;
  if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / pageBytes));
  // Read after growing: growth replaces the memory's ArrayBuffer.
  const heap = memory.buffer;
  new Int32Array(heap, rowFirst, height).set(rows.first);
  new Int32Array(heap, rowWeight, height).set(rows.weight);
  new Int32Array(heap, colFirst, width).set(columns.first);
  new Int32Array(heap, colWeight, width).set(columns.weight);
  new Uint8Array(heap, src, pixels.length).set(pixels);
  kernel.resize(src, dst, width, height, rowFirst, rowWeight, rows.next, colFirst, colWeight, columns.next);
  return Buffer.from(new Uint8Array(heap, dst, targetBytes));
}

/** Fixed-point weights: 11 bits, as OpenCV's INTER_LINEAR uses for 8-bit images. */
const one = 2048;

/**
 * The two source samples of each output position along one displayed axis: the byte offset of the
 * first, the offset from it to the second (`next`, the same for every position) and the second's
 * weight. `stride` is the bytes from one stored sample to the next along this axis; a `flipped` axis
 * counts from the far end, so turned images are sampled where they are stored.
 */
interface AxisTaps {
  first: Int32Array;
  next: number;
  weight: Int32Array;
}

function axisTaps(source: number, target: number, stride: number, flipped: boolean): AxisTaps {
  const first = new Int32Array(target);
  const weight = new Int32Array(target);
  const scale = source / target;
  for (let to = 0; to < target; to++) {
    // Pixel centres line up (half-pixel offsets); outside the edge samples the edge is repeated.
    const at = Math.min(Math.max((to + 0.5) * scale - 0.5, 0), source - 1);
    const from = Math.min(Math.floor(at), Math.max(source - 2, 0));
    first[to] = (flipped ? source - 1 - from : from) * stride;
    weight[to] = source === 1 ? 0 : Math.round((at - from) * one);
  }
  const next = source === 1 ? 0 : flipped ? -stride : stride;
  return { first, next, weight };
}

/** One sample from the 2×2 around it: `a` above, `b` below, each with its right neighbour `next` on. */
function blend(
  source: Uint8Array,
  a: number,
  b: number,
  next: number,
  left: number,
  right: number,
  up: number,
  down: number,
): number {
  const upper = (source[a] as number) * left + (source[a + next] as number) * right;
  const lower = (source[b] as number) * left + (source[b + next] as number) * right;
  // Both weights are 11-bit: the sum stays under 2^31, and rounding adds half of 2^22.
  return (upper * up + lower * down + (1 << 21)) >> 22;
}

// One output row, in a function of its own: V8 compiles the tight loop apart from the set-up around
// it (a loop over typed arrays inlined into a larger function ran 2–3× slower here).
function resizeRow(
  source: Uint8Array,
  target: Uint8Array,
  targetAt: number,
  top: number,
  bottom: number,
  down: number,
  columns: AxisTaps,
): void {
  const up = one - down;
  const { first, next, weight } = columns;
  let to = targetAt;
  for (let x = 0; x < first.length; x++) {
    const a = top + (first[x] as number);
    const b = bottom + (first[x] as number);
    const right = weight[x] as number;
    const left = one - right;
    // The three channels written out: a loop over them here cost a tenth more.
    target[to++] = blend(source, a, b, next, left, right, up, down);
    target[to++] = blend(source, a + 1, b + 1, next, left, right, up, down);
    target[to++] = blend(source, a + 2, b + 2, next, left, right, up, down);
  }
}

/**
 * For each EXIF orientation (1–8): whether the displayed x axis runs along the stored y axis, and
 * whether the displayed x and y axes run against the stored ones.
 */
const orientations: Record<number, { transposed: boolean; flipX: boolean; flipY: boolean }> = {
  1: { transposed: false, flipX: false, flipY: false },
  2: { transposed: false, flipX: true, flipY: false },
  3: { transposed: false, flipX: true, flipY: true },
  4: { transposed: false, flipX: false, flipY: true },
  5: { transposed: true, flipX: false, flipY: false },
  6: { transposed: true, flipX: true, flipY: false },
  7: { transposed: true, flipX: true, flipY: true },
  8: { transposed: true, flipX: false, flipY: true },
};

/**
 * Resizes 8-bit RGB pixels (`width × height × 3` as stored, row by row) by bilinear interpolation, as
 * OpenCV's `INTER_LINEAR` does — the resize YOLOX and most vision models were trained with: each
 * output pixel from the 2×2 source pixels around its centre, with no widening when shrinking
 * (libvips' `linear` kernel widens with the shrink factor, so the two differ when an image is made
 * smaller). The output is upright: `orientation` (EXIF, 1–8) is applied in the same pass, and
 * `targetWidth × targetHeight` is the displayed size wanted.
 */
export function resizeBilinearRgb(
  pixels: Uint8Array,
  width: number,
  height: number,
  targetWidth: number,
  targetHeight: number,
  orientation = 1,
): Buffer {
  if (pixels.length < width * height * 3) {
    throw new RangeError(`${width}×${height}×3 pixels expected, ${pixels.length} bytes given`);
  }
  const turn = orientations[orientation];
  if (!turn) throw new RangeError(`EXIF orientation ${orientation} is not one of 1 to 8`);
  const rowBytes = width * 3;
  const [acrossSize, acrossStride, downSize, downStride] = turn.transposed
    ? [height, rowBytes, width, 3]
    : [width, 3, height, rowBytes];
  const columns = axisTaps(acrossSize, targetWidth, acrossStride, turn.flipX);
  const rows = axisTaps(downSize, targetHeight, downStride, turn.flipY);
  const target = Buffer.allocUnsafe(targetWidth * targetHeight * 3);
  for (let y = 0; y < targetHeight; y++) {
    const top = rows.first[y] as number;
    resizeRow(pixels, target, y * targetWidth * 3, top, top + rows.next, rows.weight[y] as number, columns);
  }
  return target;
}

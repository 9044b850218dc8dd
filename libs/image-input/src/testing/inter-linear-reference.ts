/**
 * OpenCV's INTER_LINEAR written out in floating point, one sample at a time: each output sample from
 * the 2×2 source samples around its centre (half-pixel offsets, the edge repeated). The reference
 * the fixed-point `resizeBilinearRgb` is held to; unrounded.
 */
export function interLinearReference(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  targetWidth: number,
  targetHeight: number,
): number[] {
  const source = (x: number, y: number, channel: number) => pixels[(y * width + x) * channels + channel] ?? 0;
  const taps = (to: number, size: number, target: number) => {
    const at = Math.max((to + 0.5) * (size / target) - 0.5, 0);
    const from = Math.floor(at);
    return from >= size - 1
      ? { from: size - 1, next: size - 1, weight: 0 }
      : { from, next: from + 1, weight: at - from };
  };
  const target: number[] = [];
  for (let y = 0; y < targetHeight; y++) {
    const row = taps(y, height, targetHeight);
    for (let x = 0; x < targetWidth; x++) {
      const column = taps(x, width, targetWidth);
      for (let channel = 0; channel < channels; channel++) {
        const upper =
          source(column.from, row.from, channel) * (1 - column.weight) +
          source(column.next, row.from, channel) * column.weight;
        const lower =
          source(column.from, row.next, channel) * (1 - column.weight) +
          source(column.next, row.next, channel) * column.weight;
        target.push(upper * (1 - row.weight) + lower * row.weight);
      }
    }
  }
  return target;
}

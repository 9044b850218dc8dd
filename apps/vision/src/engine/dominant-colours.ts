import type { RawImage } from './image-statistics.js';

/** Levels per channel of the colour histogram: 8 gives 512 bins, coarse enough to merge shades. */
const levels = 8;

/**
 * The most common colours of an image: a 512-bin RGB histogram (alpha ignored), each of the `count`
 * fullest bins reported as the mean colour of its pixels and its share of the image.
 */
export function dominantColours(image: RawImage, count = 5): { hex: string; share: number }[] {
  const bins = new Map<number, { n: number; r: number; g: number; b: number }>();
  const step = 256 / levels;
  const pixels = image.width * image.height;
  for (let i = 0; i < pixels; i++) {
    const o = i * image.channels;
    const r = image.data[o] ?? 0;
    const g = image.data[o + 1] ?? 0;
    const b = image.data[o + 2] ?? 0;
    const key = (Math.floor(r / step) * levels + Math.floor(g / step)) * levels + Math.floor(b / step);
    const bin = bins.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    bin.n++;
    bin.r += r;
    bin.g += g;
    bin.b += b;
    bins.set(key, bin);
  }
  const hex = (v: number) => Math.round(v).toString(16).padStart(2, '0');
  return [...bins.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, count)
    .map((bin) => ({
      hex: `#${hex(bin.r / bin.n)}${hex(bin.g / bin.n)}${hex(bin.b / bin.n)}`,
      share: Math.round((bin.n / pixels) * 1000) / 1000,
    }));
}

import type { ImageStatistics } from '@gantry/contracts';
import sharp from 'sharp';

/** Raw 8-bit pixels, channels interleaved (3: sRGB, 4: sRGB + alpha). */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** Statistics are taken on a copy at most this long a side: they describe the photo, not its resolution. */
const sampleSide = 512;

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Pixels whose channels differ by at most this share of the brightest are taken for things that are
 * grey in the scene (paper, walls, asphalt): a cast shows on them. Coloured objects are left out, so
 * a photo of a red car has no "cast".
 */
const neutralSpread = 0.45;
/** Fewer near-neutral pixels than this share give no reliable reference: no cast is measured. */
const minNeutralShare = 0.05;

/** Mean R, G, B of the near-neutral pixels; null when there are too few of them. */
function neutralMeans(sums: number[], count: number, pixels: number): [number, number, number] | null {
  if (count < minNeutralShare * pixels) return null;
  return [(sums[0] ?? 0) / count, (sums[1] ?? 0) / count, (sums[2] ?? 0) / count];
}

/** How far the largest channel mean is from their average, 0..1. */
const castOf = (means: readonly number[]) => {
  const grey = means.reduce((a, b) => a + b, 0) / means.length;
  return Math.max(...means.map((m) => Math.abs(m - grey))) / 255;
};

/**
 * Brightness, contrast, colour cast, noise and sharpness of an image, on a copy scaled down to
 * 512 px (Lanczos). Noise is Immerkær's estimate (1996: the mean absolute response to a Laplacian
 * difference mask, which cancels edges and keeps noise); sharpness the variance of the Laplacian.
 */
export async function imageStatistics(image: RawImage): Promise<ImageStatistics> {
  return (await measureImage(image)).statistics;
}

/**
 * The statistics, and the mean R, G, B of the near-neutral pixels they measured the cast on (null
 * when there were too few).
 */
export async function measureImage(
  image: RawImage,
): Promise<{ statistics: ImageStatistics; neutral: [number, number, number] | null }> {
  const scale = Math.min(1, sampleSide / Math.max(image.width, image.height));
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
    limitInputPixels: false,
  })
    .resize(Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const pixels = width * height;
  const luma = new Float32Array(pixels);
  const sums = [0, 0, 0];
  const neutralSums = [0, 0, 0];
  let neutral = 0;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < pixels; i++) {
    const r = data[i * 3] ?? 0;
    const g = data[i * 3 + 1] ?? 0;
    const b = data[i * 3 + 2] ?? 0;
    sums[0] = (sums[0] ?? 0) + r;
    sums[1] = (sums[1] ?? 0) + g;
    sums[2] = (sums[2] ?? 0) + b;
    const high = Math.max(r, g, b);
    if (high >= 24 && high - Math.min(r, g, b) <= neutralSpread * high) {
      neutral++;
      neutralSums[0] = (neutralSums[0] ?? 0) + r;
      neutralSums[1] = (neutralSums[1] ?? 0) + g;
      neutralSums[2] = (neutralSums[2] ?? 0) + b;
    }
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    luma[i] = y;
    sum += y;
    squares += y * y;
  }
  const mean = sum / pixels;
  const reference = neutralMeans(neutralSums, neutral, pixels);

  let noiseSum = 0;
  let lapSum = 0;
  let lapSquares = 0;
  const at = (x: number, y: number) => luma[y * width + x] ?? 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const centre = at(x, y);
      const cross = at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1);
      const corners = at(x - 1, y - 1) + at(x + 1, y - 1) + at(x - 1, y + 1) + at(x + 1, y + 1);
      noiseSum += Math.abs(4 * centre - 2 * cross + corners);
      const laplacian = cross - 4 * centre;
      lapSum += laplacian;
      lapSquares += laplacian * laplacian;
    }
  }
  const inner = Math.max(1, (width - 2) * (height - 2));
  const lapMean = lapSum / inner;
  const statistics = {
    width: image.width,
    height: image.height,
    brightness: round(mean / 255),
    contrast: round(Math.sqrt(Math.max(0, squares / pixels - mean * mean)) / 255),
    colour_cast: reference ? round(castOf(reference)) : 0,
    noise: round((Math.sqrt(Math.PI / 2) * noiseSum) / (6 * inner), 2),
    sharpness: round(lapSquares / inner - lapMean * lapMean, 1),
  };
  return { statistics, neutral: reference };
}

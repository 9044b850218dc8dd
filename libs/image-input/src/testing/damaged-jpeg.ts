import sharp from 'sharp';

/**
 * A 320×240 photo-like JPEG (noise over a gradient, so its scan data is long), baseline or progressive:
 * the file the damaged variants below are made from.
 */
export function noisyJpeg(progressive = false): Promise<Buffer> {
  const width = 320;
  const height = 240;
  const pixels = Buffer.alloc(width * height * 3).map((_, i) => ((i * 7919) % 97) + ((i / 3) % width) / 2);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ progressive })
    .toBuffer();
}

/** The JPEG with `count` bytes of its scan data inverted mid-file: damaged, not truncated. */
export function withFlippedBytes(jpeg: Buffer, count = 2_000): Buffer {
  const damaged = Buffer.from(jpeg);
  const start = Math.floor(damaged.length / 2) - Math.floor(count / 2);
  for (let i = start; i < start + count; i++) damaged[i] = 0xff ^ (damaged[i] ?? 0);
  return damaged;
}

/**
 * The JPEG with stray bytes before its first `marker` (0xd9: its last, the end of image), as
 * cameras leave padding: libjpeg warns "N extraneous bytes before marker" and skips them.
 */
export function withStrayBytes(jpeg: Buffer, marker: number, count = 16): Buffer {
  const pattern = Buffer.from([0xff, marker]);
  const at = marker === 0xd9 ? jpeg.lastIndexOf(pattern) : jpeg.indexOf(pattern, 2);
  if (at < 0) throw new Error(`the JPEG has no marker 0x${marker.toString(16)}`);
  return Buffer.concat([jpeg.subarray(0, at), Buffer.alloc(count, 0x41), jpeg.subarray(at)]);
}

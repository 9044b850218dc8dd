import type { GreyImage } from './grey-image.js';

// Binary PGM: leptonica reads it as is (no PNG encode and decode), and it carries no resolution,
// so tesseract estimates one from the glyphs instead of trusting a wrong 72 dpi from a PNG.
export function toPgm({ width, height, data }: GreyImage): Buffer {
  if (data.length !== width * height) {
    throw new Error(`expected ${width}×${height} one-byte grey pixels, got ${data.length} bytes`);
  }
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii'), data]);
}

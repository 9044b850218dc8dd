import { encodeBmp } from '@gantry/image-input/testing';
import sharp from 'sharp';

export interface ImageVariant {
  name: string;
  bytes: Buffer;
  /** Pages the engine should return; the first always shows the base image. */
  pages: number;
}

/**
 * The base image (8-bit grey with dark text on white) in every container and pixel layout the
 * engine must read; each variant, once decoded and made upright, shows the same page.
 */
export async function imageVariants(base: Buffer): Promise<ImageVariant[]> {
  const { data: grey, info } = await sharp(base)
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const fromGrey = () => sharp(grey, { raw: { width, height, channels: 1 } });
  const blank = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  const basePng = await fromGrey().png().toBuffer();

  // Ink as opacity over fully transparent black: only alpha carries the text.
  const rgba = Buffer.alloc(width * height * 4);
  grey.forEach((level, i) => rgba.writeUInt8(255 - level, i * 4 + 3));
  const opaque = Buffer.alloc(width * height * 4, 255);
  grey.forEach((level, i) => opaque.fill(level, i * 4, i * 4 + 3));

  return [
    // Stored turned a quarter to the left; EXIF orientation 6 says "turn right to show".
    {
      name: 'JPEG with EXIF orientation 6',
      bytes: await fromGrey().rotate(270).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer(),
      pages: 1,
    },
    {
      name: 'CMYK JPEG',
      bytes: await fromGrey().toColourspace('cmyk').jpeg({ quality: 92 }).toBuffer(),
      pages: 1,
    },
    { name: '16-bit RGB PNG', bytes: await fromGrey().toColourspace('rgb16').png().toBuffer(), pages: 1 },
    {
      name: 'RGBA PNG on transparent',
      bytes: await sharp(rgba, { raw: { width, height, channels: 4 } })
        .png()
        .toBuffer(),
      pages: 1,
    },
    { name: 'TIFF (LZW)', bytes: await fromGrey().tiff({ compression: 'lzw' }).toBuffer(), pages: 1 },
    {
      name: 'two-page TIFF',
      bytes: await sharp([basePng, blank], { join: { animated: true } })
        .tiff()
        .toBuffer(),
      pages: 2,
    },
    { name: 'WebP', bytes: await fromGrey().webp({ quality: 90 }).toBuffer(), pages: 1 },
    { name: 'AVIF', bytes: await fromGrey().avif({ quality: 90 }).toBuffer(), pages: 1 },
    {
      name: 'animated GIF',
      bytes: await sharp([basePng, blank], { join: { animated: true } })
        .gif()
        .toBuffer(),
      pages: 2,
    },
    { name: '24-bit BMP', bytes: encodeBmp(opaque, width, height, { bitsPerPixel: 24 }), pages: 1 },
    {
      name: '8-bit top-down BMP',
      bytes: encodeBmp(opaque, width, height, { bitsPerPixel: 8, topDown: true }),
      pages: 1,
    },
    { name: 'RLE8 BMP', bytes: encodeBmp(opaque, width, height, { bitsPerPixel: 8, rle: true }), pages: 1 },
  ];
}

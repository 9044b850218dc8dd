import { once } from 'node:events';
import { crc32, createDeflate } from 'node:zlib';
import { encode } from 'bmp-ts';
import sharp from 'sharp';

export interface ImageVariant {
  name: string;
  bytes: Buffer;
  /** Pages the engine should return; the first always shows the base image. */
  pages: number;
}

function bmpHeaders(
  width: number,
  height: number,
  bitsPerPixel: number,
  paletteBytes: number,
  pixelBytes: number,
) {
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'ascii');
  // The file size field is advisory (decoders ignore it); a bomb's would not even fit.
  header.writeUInt32LE(Math.min(54 + paletteBytes + pixelBytes, 0xffffffff), 2);
  header.writeUInt32LE(54 + paletteBytes, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(bitsPerPixel, 28);
  return header;
}

/** An 8-bit palette BMP stored top-down (negative height), written by hand: not bmp-ts's own encoder. */
export function greyBmp(grey: Buffer, width: number, height: number): Buffer {
  const stride = Math.ceil(width / 4) * 4;
  const palette = Buffer.alloc(256 * 4);
  for (let level = 0; level < 256; level++) palette.fill(level, level * 4, level * 4 + 3);
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) grey.copy(pixels, y * stride, y * width, (y + 1) * width);
  return Buffer.concat([bmpHeaders(width, -height, 8, palette.length, pixels.length), palette, pixels]);
}

/** A BMP header that declares `width × height` 24-bit pixels, followed by almost nothing. */
export const bmpBomb = (width: number, height: number): Buffer =>
  Buffer.concat([bmpHeaders(width, height, 24, 0, width * height * 3), Buffer.alloc(64)]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid 1-bit PNG of `width × height` solid pixels: a few hundred kB that decode to gigabytes.
 * Written with zlib because sharp needs ~30 s to encode 50000×50000 pixels on 2 cores.
 */
export async function pngBomb(width: number, height: number): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(1, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const deflate = createDeflate({ level: 9 });
  const compressed: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => compressed.push(chunk));
  const row = Buffer.alloc(1 + Math.ceil(width / 8)); // filter byte 0, then black pixels
  for (let y = 0; y < height; y++) if (!deflate.write(row)) await once(deflate, 'drain');
  deflate.end();
  await once(deflate, 'end');
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', Buffer.concat(compressed)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
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
  // bmp-ts reads and writes ABGR.
  const abgr = Buffer.alloc(width * height * 4);
  grey.forEach((level, i) => abgr.fill(level, i * 4 + 1, i * 4 + 4));

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
    {
      name: 'animated GIF',
      bytes: await sharp([basePng, blank], { join: { animated: true } })
        .gif()
        .toBuffer(),
      pages: 1,
    },
    { name: '24-bit BMP', bytes: encode({ data: abgr, width, height }).data, pages: 1 },
    { name: '8-bit top-down BMP', bytes: greyBmp(grey, width, height), pages: 1 },
  ];
}

export interface EncodeBmpOptions {
  /** 24: BGR; 32: BGRA with a V4 header and an alpha mask; 8: palette of the image's own colours (at most 256). */
  bitsPerPixel: 8 | 24 | 32;
  /** Rows stored top row first (negative height) instead of the usual bottom-up order. */
  topDown?: boolean;
  /** 8 bits only: RLE8 compression, with both encoded runs and absolute (literal) runs. */
  rle?: boolean;
}

/** One RLE8 row: a repeat becomes an encoded run, three or more differing pixels an absolute run. */
function rle8Row(indices: readonly number[]): number[] {
  const out: number[] = [];
  const at = (x: number): number => indices[x] ?? 0;
  let x = 0;
  while (x < indices.length) {
    let run = 1;
    while (x + run < indices.length && run < 255 && at(x + run) === at(x)) run++;
    if (run >= 2) {
      out.push(run, at(x));
      x += run;
      continue;
    }
    let end = x + 1;
    while (end < indices.length && end - x < 255 && at(end) !== at(end + 1)) end++;
    const literal = indices.slice(x, end);
    if (literal.length < 3) literal.forEach((index) => out.push(1, index));
    else out.push(0, literal.length, ...literal, ...(literal.length % 2 === 1 ? [0] : []));
    x = end;
  }
  out.push(0, 0); // end of line
  return out;
}

/**
 * Writes RGBA pixels as a BMP: sharp cannot write BMP, and the tests need files of each layout
 * with known pixels to check the decoder against.
 */
export function encodeBmp(
  rgba: Uint8Array,
  width: number,
  height: number,
  { bitsPerPixel, topDown = false, rle = false }: EncodeBmpOptions,
): Buffer {
  if (rle && (bitsPerPixel !== 8 || topDown)) throw new Error('RLE8 needs 8 bits a pixel, bottom-up');
  const pixel = (index: number): number[] => [...rgba.subarray(index * 4, index * 4 + 4)];
  const palette = new Map<string, number>();
  if (bitsPerPixel === 8) {
    for (let index = 0; index < width * height; index++) {
      const key = pixel(index).slice(0, 3).join(',');
      if (!palette.has(key)) palette.set(key, palette.size);
    }
    if (palette.size > 256) throw new Error(`${palette.size} colours do not fit an 8-bit palette`);
  }
  const paletteIndex = (index: number): number => palette.get(pixel(index).slice(0, 3).join(',')) ?? 0;
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const rows = Array.from({ length: height }, (_, y) => (topDown ? y : height - 1 - y));
  const rlePixels = rle
    ? Buffer.from([
        ...rows.flatMap((y) => rle8Row(Array.from({ length: width }, (_, x) => paletteIndex(y * width + x)))),
        0,
        1, // end of bitmap
      ])
    : null;

  const dibHeaderSize = bitsPerPixel === 32 ? 108 : 40;
  const dataOffset = 14 + dibHeaderSize + palette.size * 4;
  const pixelBytes = rlePixels?.length ?? rowBytes * height;
  const file = Buffer.alloc(dataOffset + pixelBytes);

  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(dataOffset, 10);
  file.writeUInt32LE(dibHeaderSize, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(topDown ? -height : height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(bitsPerPixel, 28);
  file.writeUInt32LE(rle ? 1 : bitsPerPixel === 32 ? 3 : 0, 30); // BI_RLE8, BI_BITFIELDS or BI_RGB
  file.writeUInt32LE(pixelBytes, 34);
  file.writeUInt32LE(palette.size, 46);
  if (bitsPerPixel === 32) {
    [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000].forEach((mask, i) =>
      file.writeUInt32LE(mask, 54 + i * 4),
    );
    file.write('BGRs', 70, 'latin1'); // LCS_sRGB, stored little-endian
  }
  for (const [key, i] of palette) {
    const [r = 0, g = 0, b = 0] = key.split(',').map(Number);
    file.set([b, g, r, 0], 14 + dibHeaderSize + i * 4);
  }
  if (rlePixels) {
    rlePixels.copy(file, dataOffset);
    return file;
  }

  rows.forEach((y, stored) => {
    const row = dataOffset + stored * rowBytes;
    for (let x = 0; x < width; x++) {
      const [r = 0, g = 0, b = 0, a = 0] = pixel(y * width + x);
      if (bitsPerPixel === 8) file[row + x] = paletteIndex(y * width + x);
      else if (bitsPerPixel === 24) file.set([b, g, r], row + x * 3);
      else file.set([b, g, r, a], row + x * 4);
    }
  });
  return file;
}

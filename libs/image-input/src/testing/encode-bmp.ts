export interface EncodeBmpOptions {
  /** 24: BGR; 32: BGRA with a V4 header and an alpha mask; 8: palette of the image's own colours (at most 256). */
  bitsPerPixel: 8 | 24 | 32;
  /** Rows stored top row first (negative height) instead of the usual bottom-up order. */
  topDown?: boolean;
}

/**
 * Writes RGBA pixels as a BMP: sharp cannot write BMP, and the tests need files of each layout
 * with known pixels to check the decoder against.
 */
export function encodeBmp(
  rgba: Uint8Array,
  width: number,
  height: number,
  { bitsPerPixel, topDown = false }: EncodeBmpOptions,
): Buffer {
  const pixel = (index: number): number[] => [...rgba.subarray(index * 4, index * 4 + 4)];
  const palette: string[] = [];
  if (bitsPerPixel === 8) {
    for (let index = 0; index < width * height; index++) {
      const key = pixel(index).slice(0, 3).join(',');
      if (!palette.includes(key)) palette.push(key);
    }
    if (palette.length > 256) throw new Error(`${palette.length} colours do not fit an 8-bit palette`);
  }
  const dibHeaderSize = bitsPerPixel === 32 ? 108 : 40;
  const paletteBytes = palette.length * 4;
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const dataOffset = 14 + dibHeaderSize + paletteBytes;
  const file = Buffer.alloc(dataOffset + rowBytes * height);

  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(dataOffset, 10);
  file.writeUInt32LE(dibHeaderSize, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(topDown ? -height : height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(bitsPerPixel, 28);
  file.writeUInt32LE(bitsPerPixel === 32 ? 3 : 0, 30); // BI_BITFIELDS : BI_RGB
  file.writeUInt32LE(rowBytes * height, 34);
  file.writeUInt32LE(palette.length, 46);
  if (bitsPerPixel === 32) {
    [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000].forEach((mask, i) =>
      file.writeUInt32LE(mask, 54 + i * 4),
    );
    file.write('BGRs', 70, 'latin1'); // LCS_sRGB, stored little-endian
  }
  palette.forEach((key, i) => {
    const [r = 0, g = 0, b = 0] = key.split(',').map(Number);
    file.set([b, g, r, 0], 14 + dibHeaderSize + i * 4);
  });

  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const [r = 0, g = 0, b = 0, a = 0] = pixel(y * width + x);
      if (bitsPerPixel === 8) file[row + x] = palette.indexOf(`${r},${g},${b}`);
      else if (bitsPerPixel === 24) file.set([b, g, r], row + x * 3);
      else file.set([b, g, r, a], row + x * 4);
    }
  }
  return file;
}

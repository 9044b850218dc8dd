import { GantryError } from '@gantry/contracts';
import { decode } from 'bmp-ts';

export interface BmpHeader {
  width: number;
  height: number;
  /** Where the pixel rows end if the file is whole. */
  end: number;
}

const fileHeaderBytes = 14;
const supportedBitDepths = new Set([1, 4, 8, 16, 24, 32]);
// 0 = BI_RGB, 3 = BI_BITFIELDS, 6 = BI_ALPHABITFIELDS. RLE (1, 2) is refused: bmp-ts 1.0.9 writes
// RLE pixels at wrong offsets. Embedded JPEG/PNG (4, 5) is for printers, not files people upload.
const supportedCompressions = new Set([0, 3, 6]);

const corrupt = (message: string): GantryError => new GantryError('MEDIA_CORRUPT', `BMP: ${message}`);

/**
 * Reads and checks the BMP headers without touching pixel data, so that the pixel limit applies
 * before bmp-ts allocates `width × height × 4` bytes (and before a bomb is called merely truncated).
 */
export function readBmpHeader(bytes: Buffer): BmpHeader {
  if (bytes.length < fileHeaderBytes + 40) throw corrupt('the file ends inside its header');
  const pixelOffset = bytes.readUInt32LE(10);
  const width = bytes.readInt32LE(18);
  const signedHeight = bytes.readInt32LE(22);
  const bitsPerPixel = bytes.readUInt16LE(28);
  const compression = bytes.readUInt32LE(30);
  if (width <= 0 || signedHeight === 0 || signedHeight === -0x80000000) {
    throw corrupt(`impossible size ${width}×${signedHeight}`);
  }
  if (!supportedBitDepths.has(bitsPerPixel)) throw corrupt(`impossible bit depth ${bitsPerPixel}`);
  if (!supportedCompressions.has(compression)) {
    throw new GantryError(
      'MEDIA_UNSUPPORTED',
      `BMP compression ${compression} (RLE or embedded) is not supported`,
      {
        details: { compression },
      },
    );
  }
  const height = Math.abs(signedHeight);
  return { width, height, end: pixelOffset + Math.ceil((width * bitsPerPixel) / 32) * 4 * height };
}

/** Decodes an uncompressed BMP, whose header `readBmpHeader` read and the caller checked, to 8-bit RGB. */
export function decodeBmp(bytes: Buffer, header: BmpHeader): Buffer {
  if (header.end > bytes.length) {
    throw corrupt(
      `${header.width}×${header.height} pixels need ${header.end} bytes, the file has ${bytes.length}`,
    );
  }
  let bitmap: ReturnType<typeof decode>;
  try {
    bitmap = decode(bytes);
  } catch (error) {
    throw new GantryError('MEDIA_CORRUPT', `BMP: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  // bmp-ts writes ABGR. Alpha is dropped: most 32-bit BMPs leave it 0, which would read as transparent.
  const { width, height } = header;
  const abgr = bitmap.data;
  const rgb = Buffer.allocUnsafe(width * height * 3);
  for (let pixel = 0, from = 0, to = 0; pixel < width * height; pixel++, from += 4, to += 3) {
    rgb[to] = abgr[from + 3] ?? 0;
    rgb[to + 1] = abgr[from + 2] ?? 0;
    rgb[to + 2] = abgr[from + 1] ?? 0;
  }
  return rgb;
}

import { decode } from '@cwasm/nsbmp';

export interface BmpHeader {
  width: number;
  height: number;
  /** The pixels are a JPEG or PNG stream inside the BMP (compression 4 or 5): a printer format libnsbmp refuses. */
  embedded: boolean;
}

export interface DecodedBmp {
  width: number;
  height: number;
  /** RGBA, 8 bits a channel, top row first. */
  data: Buffer;
}

/**
 * What a BMP declares, read from its header alone so that an oversized image is refused
 * before a pixel buffer is allocated. `null` when the header is cut short or declares no pixels.
 */
export function readBmpHeader(bytes: Buffer): BmpHeader | null {
  if (bytes.length < 26) return null;
  const dibHeaderSize = bytes.readUInt32LE(14);
  if (dibHeaderSize === 12) {
    // The OS/2 core header stores 16-bit sizes and has no compression field.
    const size = { width: bytes.readUInt16LE(18), height: Math.abs(bytes.readInt16LE(20)) };
    return size.width > 0 && size.height > 0 ? { ...size, embedded: false } : null;
  }
  if (bytes.length < 34) return null;
  // Every later header stores 32-bit signed sizes (negative height = top-down rows). In the OS/2 2.x
  // header (64 bytes) compression 4 means RLE24, not JPEG.
  const width = bytes.readInt32LE(18);
  const height = Math.abs(bytes.readInt32LE(22));
  const compression = bytes.readUInt32LE(30);
  const embedded = dibHeaderSize !== 64 && (compression === 4 || compression === 5);
  return width > 0 && height > 0 ? { width, height, embedded } : null;
}

/** Whether no pixel has a non-zero alpha. */
function alphaAllZero(rgba: ArrayLike<number>): boolean {
  for (let alpha = 3; alpha < rgba.length; alpha += 4) if (rgba[alpha] !== 0) return false;
  return true;
}

/** RLE4 and RLE8 streams are always stored bottom-up. */
function isBottomUpRle(bytes: Buffer): boolean {
  if (bytes.length < 34 || bytes.readUInt32LE(14) < 40) return false;
  const compression = bytes.readUInt32LE(30);
  return (compression === 1 || compression === 2) && bytes.readInt32LE(22) > 0;
}

/**
 * Whether an RLE stream reaches its end-of-bitmap, or its last row, before the file ends. libnsbmp
 * stops quietly where the data stops, which would turn a truncated file into missing rows.
 */
function rleStreamComplete(bytes: Buffer): boolean {
  const width = bytes.readInt32LE(18);
  const height = bytes.readInt32LE(22);
  const rle4 = bytes.readUInt32LE(30) === 2;
  let at = bytes.readUInt32LE(10);
  let x = 0;
  let y = 0;
  while (at + 2 <= bytes.length) {
    const count = bytes[at] ?? 0;
    const code = bytes[at + 1] ?? 0;
    at += 2;
    if (count > 0) {
      x += count; // an encoded run
    } else if (code === 0) {
      x = 0; // end of line
      y++;
    } else if (code === 1) {
      return true; // end of bitmap
    } else if (code === 2) {
      x += bytes[at] ?? 0; // delta: the cursor moves right and up
      y += bytes[at + 1] ?? 0;
      at += 2;
    } else {
      const dataBytes = rle4 ? Math.ceil(code / 2) : code; // an absolute run, padded to 16 bits
      at += dataBytes + (dataBytes % 2);
      x += code;
    }
  }
  return at <= bytes.length && (y >= height || (y === height - 1 && x >= width));
}

/**
 * Decodes every BMP variant (1–32 bits, palettes, bit fields, RLE, top-down) with NetSurf's libnsbmp
 * compiled to WebAssembly, because sharp's libvips has no BMP loader. Throws on truncated or corrupt data.
 */
export function decodeBmp(bytes: Buffer): DecodedBmp {
  const rle = isBottomUpRle(bytes);
  let input = bytes;
  if (rle) {
    if (!rleStreamComplete(bytes)) throw new Error('the RLE data ends before the last row');
    // ImageMagick, among others, ends the last row with an end-of-line before the end-of-bitmap,
    // moving the cursor one row past the image, which libnsbmp refuses: such a file is decoded
    // one row taller, and the spare top row dropped.
    input = Buffer.from(bytes);
    input.writeInt32LE(bytes.readInt32LE(22) + 1, 22);
  }
  const decoded = decode(input);
  const width = decoded.width;
  const height = rle ? decoded.height - 1 : decoded.height;
  const data = decoded.data.subarray(rle ? width * 4 : 0);
  // Many writers declare an alpha mask and leave every alpha at 0; browsers show such a file
  // opaque, and a wholly transparent image would show nothing at all.
  if (alphaAllZero(data)) for (let alpha = 3; alpha < data.length; alpha += 4) data[alpha] = 255;
  return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height };
}

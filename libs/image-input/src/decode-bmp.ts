import { decode } from '@cwasm/nsbmp';

export interface BmpSize {
  width: number;
  height: number;
}

export interface DecodedBmp extends BmpSize {
  /** RGBA, 8 bits a channel, top row first. */
  data: Buffer;
}

/**
 * The dimensions a BMP declares, read from its header alone so that an oversized image is refused
 * before a pixel buffer is allocated. `null` when the header is cut short or declares no pixels.
 */
export function readBmpSize(bytes: Buffer): BmpSize | null {
  if (bytes.length < 26) return null;
  const dibHeaderSize = bytes.readUInt32LE(14);
  // The OS/2 core header stores 16-bit sizes; every later header 32-bit signed ones (negative height = top-down rows).
  const size =
    dibHeaderSize === 12
      ? { width: bytes.readUInt16LE(18), height: Math.abs(bytes.readInt16LE(20)) }
      : { width: bytes.readInt32LE(18), height: Math.abs(bytes.readInt32LE(22)) };
  return size.width > 0 && size.height > 0 ? size : null;
}

/**
 * Decodes every BMP variant (1–32 bits, palettes, bit fields, RLE, top-down) with NetSurf's libnsbmp
 * compiled to WebAssembly, because sharp's libvips has no BMP loader. Throws on truncated or corrupt data.
 */
export function decodeBmp(bytes: Buffer): DecodedBmp {
  const { data, width, height } = decode(bytes);
  return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height };
}

export type ImageFormat = 'png' | 'jpeg' | 'tiff' | 'webp' | 'gif' | 'bmp';

export const imageMediaTypes: Readonly<Record<ImageFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
};

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

// BITMAPINFOHEADER and its later versions; the OS/2 12-byte header is too rare to be worth a decoder path.
const bmpInfoHeaderSizes = new Set([40, 52, 56, 108, 124]);

/**
 * The real format of an upload, from its magic bytes: file names and declared media types lie
 * (a text file named `.png`), and only formats listed here ever reach a decoder (never SVG,
 * whose decoder would follow references).
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
  if (startsWith(bytes, [0x49, 0x49]) && (bytes[2] === 0x2a || bytes[2] === 0x2b) && bytes[3] === 0) {
    return 'tiff';
  }
  if (startsWith(bytes, [0x4d, 0x4d, 0x00]) && (bytes[3] === 0x2a || bytes[3] === 0x2b)) return 'tiff';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  // "BM" alone is too weak (plain text may start with it): also require a known info header size.
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 18) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bmpInfoHeaderSizes.has(view.getUint32(14, true))) return 'bmp';
  }
  return null;
}

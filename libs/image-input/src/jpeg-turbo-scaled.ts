import jpegTurbo from '@julusian/jpeg-turbo';
import type { PageScale, ScaledPage } from './image-file.js';
import { displayedSize, type JpegHeader } from './read-jpeg-header.js';
import { resizeBilinearRgb } from './resize-bilinear.js';

// Decode buffers kept for the next image: a fresh 1–2 MB buffer per image cost ~0.35 ms of CPU in page
// faults. One per decode that can run at once on libuv's pool (4 threads by default) is enough.
const spareLimit = 4;
const spare: Buffer[] = [];

function takeBuffer(bytes: number): Buffer {
  const index = spare.findIndex((buffer) => buffer.length >= bytes);
  return index === -1 ? Buffer.allocUnsafeSlow(bytes) : (spare.splice(index, 1)[0] as Buffer);
}

function giveBack(buffer: Buffer): void {
  if (spare.length < spareLimit) spare.push(buffer);
}

/** 8-bit RGB into `buffer`, on libuv's pool; null when libjpeg-turbo refuses the file or warns about it. */
async function decodeInto(bytes: Buffer, buffer: Buffer): Promise<{ width: number; height: number } | null> {
  try {
    return await jpegTurbo.decompress(bytes, buffer, { format: jpegTurbo.FORMAT_RGB });
  } catch {
    return null;
  }
}

/** 8-bit sRGB as stored (`srgbProfile`: its profile is sRGB's): what libvips would only copy (and turn). */
const plainPixels = (header: JpegHeader, srgbProfile: boolean) =>
  header.precision === 8 &&
  (header.components === 1 || header.components === 3) &&
  (header.icc === undefined || srgbProfile);

/**
 * A JPEG that libvips would have to decode at full size anyway — `wanted` (as displayed) is more than
 * half its size, so no shrink-on-load — decoded by libjpeg-turbo and resized by `resizeBilinearRgb`,
 * which applies the EXIF orientation in the same pass. On a 768×576 photo going to 416×312, libvips
 * spends ~7.5 ms of CPU, most of it handing strips between its threads, where libjpeg-turbo decodes
 * in ~2.5 ms and the resize takes ~0.5 ms.
 *
 * Null when the file is not this plain case (CMYK, 12-bit, another colour profile, another kernel
 * asked for) or libjpeg-turbo refuses it, warnings included: libvips then decodes it, and names what
 * is wrong with a corrupt file.
 */
export async function jpegTurboScaled(
  bytes: Buffer,
  header: JpegHeader,
  wanted: { width: number; height: number },
  kernel: PageScale['kernel'],
  srgbProfile: boolean,
): Promise<ScaledPage | null> {
  if (kernel !== 'linear' || !plainPixels(header, srgbProfile)) return null;
  const { width, height, orientation } = header;
  const shown = displayedSize(header);
  const integral = Number.isInteger(wanted.width) && Number.isInteger(wanted.height);
  if (!integral || wanted.width < 1 || wanted.height < 1) return null;
  if (Math.min(shown.width / wanted.width, shown.height / wanted.height) >= 2) return null;
  const buffer = takeBuffer(width * height * 3);
  try {
    const decoded = await decodeInto(bytes, buffer);
    // The header read in JavaScript decided the pixel limit: a frame of another size is not this file's.
    if (decoded?.width !== width || decoded.height !== height) return null;
    return {
      pixels: resizeBilinearRgb(buffer, width, height, wanted.width, wanted.height, orientation),
      channels: 3,
      scaledWidth: wanted.width,
      scaledHeight: wanted.height,
      ...shown,
    };
  } finally {
    giveBack(buffer);
  }
}

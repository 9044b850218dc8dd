import { decodeFirstPageScaled, type PageScale, type ScaledPage } from './image-file.js';
import type { ImageFormat } from './sniff-image-format.js';

export interface OpenImageScaledOptions extends PageScale {
  /** Largest width × height accepted; checked from the header, before any pixel is decoded. */
  maxPixels: number;
}

/** The first frame or page of an image, decoded straight to the size an analysis works at. */
export interface ScaledImage extends ScaledPage {
  format: ImageFormat;
}

/**
 * Opens an upload as `openImage` does (real format sniffed, non-images, oversized and corrupt files
 * refused with typed errors), but decodes its first frame straight to the size `size` picks from the
 * displayed size: one libvips pass instead of a full-size decode and a resize of its copy.
 */
export async function openImageScaled(
  bytes: Buffer,
  { maxPixels, ...scale }: OpenImageScaledOptions,
): Promise<ScaledImage> {
  return decodeFirstPageScaled(bytes, maxPixels, scale);
}

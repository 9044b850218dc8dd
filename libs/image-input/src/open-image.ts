import { type DecodedPage, type DecodeOptions, readImageFile, type SourceMetadata } from './image-file.js';
import type { ImageFormat } from './sniff-image-format.js';

export interface OpenImageOptions extends DecodeOptions {
  /** Largest width × height accepted; checked from the header, before any pixel is decoded. */
  maxPixels: number;
}

/** The first frame or page of an image, decoded. */
export interface OpenedImage extends DecodedPage {
  format: ImageFormat;
  /** Frames (GIF, WebP) or pages (TIFF) in the file; only the first is decoded. */
  pages: number;
  /** The file's own colour space, depth, alpha, orientation, ICC profile and EXIF, before decoding. */
  metadata: SourceMetadata;
}

/**
 * Opens an uploaded image for analysis: sniffs its real format, refuses non-images, oversized and
 * corrupt files with typed errors, and decodes the first frame to upright 8-bit sRGB.
 */
export async function openImage(
  bytes: Buffer,
  { maxPixels, ...decode }: OpenImageOptions,
): Promise<OpenedImage> {
  const file = await readImageFile(bytes, maxPixels);
  return {
    ...(await file.decodePage(0, decode)),
    format: file.format,
    pages: file.pages,
    metadata: file.metadata,
  };
}

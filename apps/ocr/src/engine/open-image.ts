import { GantryError } from '@gantry/contracts';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { decodeBmp, readBmpHeader } from './decode-bmp.js';
import { type ImageFormat, imageMediaTypes, sniffImageFormat } from './sniff-image-format.js';

export interface ImageLimits {
  /** Most pixels one page may have; checked from the header, before any pixel is decoded. */
  maxPixels: number;
  /** Most pages a multi-page TIFF may have. */
  maxPages: number;
}

/** An upload whose format and header passed every check; pixels are decoded per page, on demand. */
export interface OpenedImage {
  readonly format: ImageFormat;
  readonly pageCount: number;
  /** A sharp pipeline that decodes page `index` (0-based) when it runs. */
  page(index: number): Sharp;
}

function checkPixels(width: number, height: number, limits: ImageLimits, page: number): void {
  if (width * height > limits.maxPixels) {
    throw new GantryError(
      'MEDIA_TOO_LARGE',
      `page ${page} is ${width}×${height} pixels, over the limit of ${limits.maxPixels} pixels`,
      { details: { page, width, height, max_pixels: limits.maxPixels } },
    );
  }
}

async function readHeader(bytes: Buffer, page: number): Promise<Metadata> {
  try {
    // Header only, no pixels: sharp's own limit must not hide the size we report.
    return await sharp(bytes, { page, failOn: 'error', limitInputPixels: false }).metadata();
  } catch (error) {
    throw new GantryError('MEDIA_CORRUPT', `the image header cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function openBmp(bytes: Buffer, limits: ImageLimits): OpenedImage {
  const header = readBmpHeader(bytes);
  const { width, height } = header;
  checkPixels(width, height, limits, 1);
  return {
    format: 'bmp',
    pageCount: 1,
    page: () =>
      sharp(decodeBmp(bytes, header), {
        raw: { width, height, channels: 3 },
        limitInputPixels: limits.maxPixels,
      }),
  };
}

/**
 * Checks an upload before decoding it: the real format from its magic bytes, then each page's
 * size from its header. Animated GIF and WebP give their first frame; a multi-page TIFF gives
 * every page.
 */
export async function openImage(bytes: Buffer, limits: ImageLimits): Promise<OpenedImage> {
  const format = sniffImageFormat(bytes);
  if (format === null) {
    throw new GantryError(
      'MEDIA_UNSUPPORTED',
      bytes.length === 0 ? 'the file is empty' : 'the file is not a PNG, JPEG, TIFF, WebP, GIF or BMP image',
      { details: { accepts: Object.values(imageMediaTypes), size: bytes.length } },
    );
  }
  if (format === 'bmp') return openBmp(bytes, limits);

  const first = await readHeader(bytes, 0);
  const pageCount = format === 'tiff' ? (first.pages ?? 1) : 1;
  if (pageCount > limits.maxPages) {
    throw new GantryError(
      'MEDIA_TOO_LARGE',
      `the TIFF has ${pageCount} pages, over the limit of ${limits.maxPages}`,
      {
        details: { pages: pageCount, max_pages: limits.maxPages },
      },
    );
  }
  checkPixels(first.width, first.height, limits, 1);
  for (let index = 1; index < pageCount; index++) {
    const header = await readHeader(bytes, index);
    checkPixels(header.width, header.height, limits, index + 1);
  }
  return {
    format,
    pageCount,
    page: (index) =>
      sharp(bytes, { page: index, pages: 1, limitInputPixels: limits.maxPixels, failOn: 'error' }),
  };
}

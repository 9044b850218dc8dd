import { GantryError } from '@gantry/contracts';
import { type GreyPage, readImageFile } from './image-file.js';
import type { OpenImageOptions } from './open-image.js';
import type { ImageFormat } from './sniff-image-format.js';

/** Pages decode upright and flattened, as `openImage` does by default: its decode options are not taken. */
export interface OpenImagePagesOptions extends Pick<OpenImageOptions, 'maxPixels'> {
  /** Most pages a multi-page TIFF (or, with `framesArePages`, an animation) may have. */
  maxPages: number;
  /** Every frame of a GIF or WebP animation is a page too (a document scanned to GIF); default: the first frame only. */
  framesArePages?: boolean;
}

/** An image whose every page passed the checks; pixels are decoded page by page, on demand. */
export interface ImagePages {
  format: ImageFormat;
  /** Every page of a TIFF (and every frame, with `framesArePages`); else 1: extra frames are animation. */
  count: number;
  /**
   * Decodes page `index` (0-based) as 8-bit grey, what a document reader wants: the pixels `openImage`
   * gives the first page (upright, alpha flattened onto white) turned grey.
   */
  greyPage(index: number): Promise<GreyPage>;
}

/**
 * Opens a document image page by page: like `openImage`, but a multi-page TIFF gives every page.
 * The page count and each page's size are checked from the headers before any pixel is decoded,
 * in time linear in the page count (libvips' count, then one walk along a TIFF's directories),
 * and only one page at a time is ever held decoded by this library.
 */
export async function openImagePages(
  bytes: Buffer,
  { maxPixels, maxPages, framesArePages = false }: OpenImagePagesOptions,
): Promise<ImagePages> {
  const file = await readImageFile(bytes, maxPixels);
  const count = file.format === 'tiff' || framesArePages ? file.pages : 1;
  if (count > maxPages) {
    throw new GantryError(
      'MEDIA_TOO_LARGE',
      `The ${file.format} image has ${count} pages, over the limit of ${maxPages}`,
      { details: { pages: count, max_pages: maxPages } },
    );
  }
  await file.checkPages(count);
  return {
    format: file.format,
    count,
    async greyPage(index) {
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new RangeError(`page ${index} does not exist: the image has ${count} (0-based index)`);
      }
      return file.decodeGreyPage(index);
    },
  };
}

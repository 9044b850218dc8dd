import type { Sharp } from 'sharp';

/** A page's size in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** An upright page as 8-bit single-channel pixels, row by row: what the recognizer reads. */
export interface GreyImage extends Size {
  readonly data: Buffer;
}

/** A page as sharp holds it (a rendered PDF page) as 8-bit grey pixels. */
export async function toGreyImage(page: Sharp): Promise<GreyImage> {
  const { data, info } = await page
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

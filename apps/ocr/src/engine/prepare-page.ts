import sharp, { type Sharp } from 'sharp';
import { backgroundSpread } from './background-spread.js';
import type { GreyImage } from './grey-image.js';

/**
 * Paper brightness spread (grey levels) from which a page counts as unevenly lit: an eighth of
 * the range. Scans and screenshots measure 0–2, a shaded phone photo 70+.
 */
export const unevenLightingSpread = 32;
// Tile of 64 px: large enough to hold a few characters (so CLAHE does not flatten the ink into
// the paper), small enough to follow a shadow. Smaller tiles made the shaded photo worse.
const claheTile = 64;

export interface PreparedPage extends GreyImage {
  /** Whether local contrast equalisation (CLAHE) ran because the lighting was uneven. */
  readonly enhanced: boolean;
}

/**
 * Turns a decoded page (upright 8-bit sRGB from @gantry/image-input) into what tesseract reads
 * best: 8-bit grey. Local contrast equalisation runs only on unevenly lit pages: it rescues shaded
 * photos, while on an even scan it gains nothing and costs seconds on a full page.
 */
export async function preparePage(page: Sharp): Promise<PreparedPage> {
  const { data, info } = await page
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const grey: GreyImage = { data, width: info.width, height: info.height };
  if (backgroundSpread(grey) < unevenLightingSpread) return { ...grey, enhanced: false };
  // Our own decoded pixels, already within maxPixels: sharp's default limit must not apply again.
  const raw = { width: grey.width, height: grey.height, channels: 1 } as const;
  const equalised = await sharp(grey.data, { raw, limitInputPixels: false })
    .clahe({ width: claheTile, height: claheTile })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return { ...grey, data: equalised, enhanced: true };
}

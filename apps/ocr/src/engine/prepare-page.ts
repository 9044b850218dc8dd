import sharp, { type Sharp } from 'sharp';
import { backgroundSpread } from './background-spread.js';
import type { GreyImage } from './grey-image.js';
import { inkStatistics } from './ink-statistics.js';
import {
  defaultPreprocessing,
  medianSafeStroke,
  type Preprocessing,
  speckledShare,
  thinStroke,
} from './preprocessing.js';

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
  /** Whether the paper's brightness was measured uneven (measured where a step's `auto` needs it). */
  readonly unevenlyLit: boolean;
  /** Whether a 3×3 median removed specks. */
  readonly despeckled: boolean;
  /** Pixels of this image per pixel of the page as given (2 when upscaled, else 1). */
  readonly scale: number;
}

const decide = (setting: 'auto' | 'on' | 'off', measured: () => boolean): boolean =>
  setting === 'auto' ? measured() : setting === 'on';

/**
 * Turns a grey page into what tesseract reads best. Each step runs only where the page's
 * measurements call for it: local contrast equalisation on unevenly lit pages (it rescues shaded
 * photos, gains nothing on an even scan and costs seconds); a 2× upscale (a switch, off by default)
 * where strokes are 2 px or thinner; a 3×3 median where specks are 2 % of the ink or more (tesseract
 * reads them as stray characters) and strokes are thick enough to survive it.
 */
export async function preparePage(
  page: GreyImage,
  steps: Preprocessing = defaultPreprocessing,
): Promise<PreparedPage> {
  let grey = page;
  // Our own decoded pixels, already within maxPixels: sharp's default limit must not apply again.
  const pipeline = (image: GreyImage) =>
    sharp(image.data, {
      raw: { width: image.width, height: image.height, channels: 1 },
      limitInputPixels: false,
    });
  const pixels = async (image: Sharp, width: number, height: number): Promise<GreyImage> => ({
    data: await image.toColourspace('b-w').raw().toBuffer(),
    width,
    height,
  });

  const unevenlyLit =
    (steps.contrast === 'auto' || steps.threshold === 'auto') &&
    backgroundSpread(grey) >= unevenLightingSpread;
  const enhanced = decide(steps.contrast, () => unevenlyLit);
  if (enhanced) {
    grey = await pixels(
      pipeline(grey).clahe({ width: claheTile, height: claheTile }),
      grey.width,
      grey.height,
    );
  }
  const needsInk = steps.upscale === 'auto' || steps.despeckle === 'auto';
  const before = needsInk ? inkStatistics(grey) : null;
  const scale = decide(steps.upscale, () => (before?.strokeWidth ?? 0) <= thinStroke) ? 2 : 1;
  if (scale !== 1) {
    grey = await pixels(
      pipeline(grey).resize(grey.width * scale, grey.height * scale, { kernel: 'lanczos3' }),
      grey.width * scale,
      grey.height * scale,
    );
  }
  const despeckled = decide(
    steps.despeckle,
    () =>
      (before?.speckShare ?? 0) >= speckledShare && (before?.strokeWidth ?? 0) * scale >= medianSafeStroke,
  );
  if (despeckled) grey = await pixels(pipeline(grey).median(3), grey.width, grey.height);
  return { ...grey, enhanced, unevenlyLit, despeckled, scale };
}

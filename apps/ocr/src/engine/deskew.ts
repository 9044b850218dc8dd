import sharp from 'sharp';
import { detectSkew, minCorrection } from './detect-skew.js';
import type { GreyImage, Size } from './grey-image.js';
import type { OcrBox } from './ocr-result.js';

export interface Deskewed {
  image: GreyImage;
  /** Degrees clockwise the page was turned to stand straight (the skew, negated); 0 when left alone. */
  rotation: number;
}

/**
 * Straightens a page skewed by up to ±10° (white fills the corners); a straight page is returned as
 * is. `known`: the page's skew where it was already measured (orientation finds it on the way).
 */
export async function deskew(page: GreyImage, known: number | null = null): Promise<Deskewed> {
  const skew = known ?? detectSkew(page);
  if (Math.abs(skew) < minCorrection) return { image: page, rotation: 0 };
  const rotation = -skew;
  // Our own decoded pixels, already within maxPixels: sharp's default limit must not apply again.
  const { data, info } = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: 1 },
    limitInputPixels: false,
  })
    .rotate(rotation, { background: '#ffffff' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { data, width: info.width, height: info.height }, rotation };
}

/**
 * Where a box of a page rotated `rotation` degrees clockwise about its centre (`given` grew to
 * `rotated`, white corners included) lies on the page as given: the bounding box of its corners.
 */
export function unrotateBox(box: OcrBox, rotation: number, given: Size, rotated: Size): OcrBox {
  if (rotation === 0) return box;
  const radians = (rotation * Math.PI) / 180;
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
  const back = (x: number, y: number): [number, number] => {
    const [dx, dy] = [x - rotated.width / 2, y - rotated.height / 2];
    return [dx * cos + dy * sin + given.width / 2, -dx * sin + dy * cos + given.height / 2];
  };
  const clamp = (value: number, max: number) => Math.min(Math.max(Math.round(value), 0), max);
  const corners = [back(box.x0, box.y0), back(box.x1, box.y0), back(box.x0, box.y1), back(box.x1, box.y1)];
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  return {
    x0: clamp(Math.min(...xs), given.width),
    y0: clamp(Math.min(...ys), given.height),
    x1: clamp(Math.max(...xs), given.width),
    y1: clamp(Math.max(...ys), given.height),
  };
}

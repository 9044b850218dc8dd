import sharp from 'sharp';
import { detectOrientation, type QuarterTurn } from './detect-orientation.js';
import type { GreyImage } from './grey-image.js';
import type { OcrBox } from './ocr-result.js';

export interface Oriented {
  image: GreyImage;
  /** Degrees clockwise the page was turned to stand upright; 0 when left alone. */
  turn: QuarterTurn;
  /** The upright page's skew where orientation found it on the way (see detectOrientation), else null. */
  skew: number | null;
}

/** Where a box of a page turned `turn` clockwise lies on the page as given (`width`×`height`). */
export function unturnBox(box: OcrBox, turn: QuarterTurn, width: number, height: number): OcrBox {
  const { x0, y0, x1, y1 } = box;
  switch (turn) {
    case 0:
      return box;
    case 90:
      return { x0: y0, y0: height - x1, x1: y1, y1: height - x0 };
    case 180:
      return { x0: width - x1, y0: height - y1, x1: width - x0, y1: height - y0 };
    case 270:
      return { x0: width - y1, y0: x0, x1: width - y0, y1: x1 };
  }
}

/** Turns a page lying on its side or upside down upright (a lossless quarter turn); an upright page is returned as is. */
export async function orient(page: GreyImage): Promise<Oriented> {
  const { turn, skew } = detectOrientation(page);
  if (turn === 0) return { image: page, turn, skew };
  // Our own decoded pixels, already within maxPixels: sharp's default limit must not apply again.
  const { data, info } = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: 1 },
    limitInputPixels: false,
  })
    .rotate(turn)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    image: { data, width: info.width, height: info.height },
    turn,
    skew,
  };
}

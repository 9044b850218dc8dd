import sharp from 'sharp';
import { detectSkew, minCorrection } from './detect-skew.js';
import type { GreyImage } from './grey-image.js';
import type { OcrBox, OcrPage } from './ocr-result.js';

export interface Deskewed {
  image: GreyImage;
  /** Degrees clockwise the page was turned to stand straight (the skew, negated); 0 when left alone. */
  rotation: number;
  /** Boxes of the straightened image, back in pixels of the page as given. */
  toPage(box: OcrBox): OcrBox;
}

/**
 * Straightens a page skewed by up to ±10° (white fills the corners); a straight page is returned as
 * is. `known`: the page's skew where it was already measured (orientation finds it on the way).
 */
export async function deskew(page: GreyImage, known: number | null = null): Promise<Deskewed> {
  const skew = known ?? detectSkew(page);
  if (Math.abs(skew) < minCorrection) return { image: page, rotation: 0, toPage: (box) => box };
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
  const radians = (rotation * Math.PI) / 180;
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
  const back = (x: number, y: number): [number, number] => {
    const [dx, dy] = [x - info.width / 2, y - info.height / 2];
    return [dx * cos + dy * sin + page.width / 2, -dx * sin + dy * cos + page.height / 2];
  };
  const clamp = (value: number, max: number) => Math.min(Math.max(Math.round(value), 0), max);
  return {
    image: { data, width: info.width, height: info.height },
    rotation,
    toPage(box) {
      const corners = [
        back(box.x0, box.y0),
        back(box.x1, box.y0),
        back(box.x0, box.y1),
        back(box.x1, box.y1),
      ];
      const xs = corners.map(([x]) => x);
      const ys = corners.map(([, y]) => y);
      return {
        x0: clamp(Math.min(...xs), page.width),
        y0: clamp(Math.min(...ys), page.height),
        x1: clamp(Math.max(...xs), page.width),
        y1: clamp(Math.max(...ys), page.height),
      };
    },
  };
}

/** Every box of a page recognised straightened, put back on the page as given. */
export function boxesToPage(page: OcrPage, toPage: (box: OcrBox) => OcrBox): OcrPage {
  return {
    ...page,
    words: page.words.map((word) => ({ ...word, bbox: toPage(word.bbox) })),
    blocks: page.blocks.map((block) => ({
      bbox: toPage(block.bbox),
      lines: block.lines.map((line) => ({ ...line, bbox: toPage(line.bbox) })),
    })),
  };
}

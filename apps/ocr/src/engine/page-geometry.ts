import type { QuarterTurn } from './detect-orientation.js';
import type { Size } from './grey-image.js';
import type { OcrBox, OcrPage } from './ocr-result.js';
import { unrotateBox } from './deskew.js';
import { unturnBox } from './orient.js';

/**
 * How a page was changed on its way to the recognizer: plain data, so the process that straightened
 * it can send it back with the text, and the engine puts every box back on the page as given.
 */
export interface PageGeometry {
  /** The page as given. */
  given: Size;
  /** Prepared pixels per pixel of the page as given (2 when upscaled, else 1). */
  scale: number;
  /** The prepared page, before it was turned. */
  prepared: Size;
  /** Degrees clockwise the prepared page was turned to stand upright. */
  turn: QuarterTurn;
  /** The upright page, before it was straightened. */
  upright: Size;
  /** Degrees clockwise the upright page was rotated to stand straight (the skew, negated). */
  rotation: number;
  /** The page the recognizer read: boxes of its text are in these pixels. */
  straight: Size;
}

/** Maps a box of the straightened page back onto the page as given. */
function toGivenPage(geometry: PageGeometry): (box: OcrBox) => OcrBox {
  const { scale, prepared, turn, upright, rotation, straight } = geometry;
  return (box) => {
    const { x0, y0, x1, y1 } = unturnBox(
      unrotateBox(box, rotation, upright, straight),
      turn,
      prepared.width,
      prepared.height,
    );
    return {
      x0: Math.floor(x0 / scale),
      y0: Math.floor(y0 / scale),
      x1: Math.ceil(x1 / scale),
      y1: Math.ceil(y1 / scale),
    };
  };
}

/** A page read straightened, put back on the page as given: its size and every box. */
export function onGivenPage(page: OcrPage, geometry: PageGeometry): OcrPage {
  const toPage = toGivenPage(geometry);
  return {
    ...page,
    ...geometry.given,
    words: page.words.map((word) => ({ ...word, bbox: toPage(word.bbox) })),
    blocks: page.blocks.map((block) => ({
      bbox: toPage(block.bbox),
      lines: block.lines.map((line) => ({ ...line, bbox: toPage(line.bbox) })),
    })),
  };
}

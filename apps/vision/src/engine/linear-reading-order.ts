import type { Barcode } from '@gantry/contracts';

type Corners = Barcode['position'];
type Point = Corners['top_left'];

/**
 * A linear symbol's corners in reading order, from the corners zxing-cpp gives. zxing-cpp places
 * them from the scan lines that decoded the symbol: `topLeft`/`bottomLeft` on the start guard and
 * `topRight`/`bottomRight` on the stop guard, whichever way a line was read (it reads each line both
 * ways and flips a backwards read back into image coordinates); but its "top" and "bottom" are the
 * first and last scan line in the image, not the symbol's own top and bottom, and it has no
 * `isMirrored` for linear codes. So a symbol turned by 180° came back mirrored (start on the right,
 * top still up), and its left edge pointed the wrong way. The reading direction (start guard →
 * stop guard) is what zxing-cpp knows for sure; the symbol's top is a quarter turn anticlockwise
 * from it, and each end's two corners are ordered along that.
 */
export function linearReadingOrder(position: Corners): Corners {
  const start = midpoint(position.top_left, position.bottom_left);
  const end = midpoint(position.top_right, position.bottom_right);
  // y points down, so (dy, -dx) is the reading direction turned a quarter anticlockwise on screen.
  const up = { x: end.y - start.y, y: start.x - end.x };
  const [top_left, bottom_left] = upperFirst(position.top_left, position.bottom_left, up);
  const [top_right, bottom_right] = upperFirst(position.top_right, position.bottom_right, up);
  return { top_left, top_right, bottom_right, bottom_left };
}

function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

/** The two corners of one end, the one further along `up` first. */
function upperFirst(a: Point, b: Point, up: Point): [Point, Point] {
  return (a.x - b.x) * up.x + (a.y - b.y) * up.y >= 0 ? [a, b] : [b, a];
}

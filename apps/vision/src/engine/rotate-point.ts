interface Size {
  width: number;
  height: number;
}

/**
 * Where a point of an image `from` lands once the image is turned by `degrees` (clockwise, about its
 * centre) onto a canvas of size `to` centred on the same point — the way sharp's `rotate` enlarges
 * the canvas. Negative degrees map a point of a turned image back to the upright one.
 */
export function rotatePoint(
  point: { x: number; y: number },
  degrees: number,
  from: Size,
  to: Size,
): { x: number; y: number } {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const dx = point.x - from.width / 2;
  const dy = point.y - from.height / 2;
  // y points down, so this matrix turns clockwise on screen.
  return { x: dx * cos - dy * sin + to.width / 2, y: dx * sin + dy * cos + to.height / 2 };
}

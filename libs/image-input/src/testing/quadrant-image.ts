import sharp, { type Sharp } from 'sharp';
import { expect } from 'vitest';

export type Rgb = readonly [number, number, number];
export const red: Rgb = [220, 30, 20];
export const green: Rgb = [20, 200, 40];
export const blue: Rgb = [30, 40, 210];
export const white: Rgb = [255, 255, 255];

/** RGBA pixels with one colour per quadrant: red top-left, green top-right, blue bottom-left, white bottom-right. */
export function quadrants(width: number, height: number, alpha = 255): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = y < height / 2 ? (x < width / 2 ? red : green) : x < width / 2 ? blue : white;
      data.set([...colour, alpha], (y * width + x) * 4);
    }
  }
  return data;
}

/**
 * A JPEG of `quadrants` stored rotated a quarter turn left and tagged EXIF orientation 6 (display turned a
 * quarter right): shown upright, it is the original `width` × `height` picture.
 */
export function quadrantsStoredTurned(width: number, height: number): Promise<Buffer> {
  return sharp(quadrants(width, height), { raw: { width, height, channels: 4 } })
    .rotate(270)
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** The RGB of one pixel of a decoded page, which must have three channels. */
export async function pixel(image: Sharp, x: number, y: number): Promise<number[]> {
  const { data, info } = await image.clone().raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  const offset = (y * info.width + x) * 3;
  return [...data.subarray(offset, offset + 3)];
}

export function expectColour(actual: number[], expected: Rgb, tolerance = 12): void {
  actual.forEach((value, i) =>
    expect(Math.abs(value - (expected[i] ?? -999))).toBeLessThanOrEqual(tolerance),
  );
}

/** Checks a pixel near each corner of a page decoded from `quadrants`. */
export async function expectQuadrants(
  page: { image: Sharp; width: number; height: number },
  tolerance?: number,
): Promise<void> {
  expectColour(await pixel(page.image, 2, 2), red, tolerance);
  expectColour(await pixel(page.image, page.width - 3, 2), green, tolerance);
  expectColour(await pixel(page.image, 2, page.height - 3), blue, tolerance);
  expectColour(await pixel(page.image, page.width - 3, page.height - 3), white, tolerance);
}

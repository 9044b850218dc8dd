import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resizeBilinearRgb } from './resize-bilinear.js';
import { interLinearReference } from './testing/inter-linear-reference.js';

/** Deterministic pseudo-random RGB pixels. */
function noise(width: number, height: number, seed = 7): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  let state = seed;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    pixels[i] = state >>> 23;
  }
  return pixels;
}

function largestDifference(actual: Uint8Array, expected: number[]): number {
  expect(actual).toHaveLength(expected.length);
  return expected.reduce(
    (largest, value, i) => Math.max(largest, Math.abs(value - (actual[i] as number))),
    0,
  );
}

describe('resizeBilinearRgb', () => {
  it.each([
    ['shrinks by less than half', 77, 58, 41, 31],
    ['shrinks by more than half', 90, 60, 25, 17],
    ['enlarges', 13, 9, 40, 29],
    ['changes one side only', 32, 24, 32, 11],
    ['turns one column into many', 1, 20, 7, 12],
    ['turns one row into many', 20, 1, 9, 5],
  ])(
    '%s as OpenCV INTER_LINEAR does, within its 11-bit rounding',
    (_, width, height, targetWidth, targetHeight) => {
      const pixels = noise(width, height);
      const resized = resizeBilinearRgb(pixels, width, height, targetWidth, targetHeight);
      expect(
        largestDifference(resized, interLinearReference(pixels, width, height, 3, targetWidth, targetHeight)),
      ).toBeLessThanOrEqual(1);
    },
  );

  it('resizes an image too large for the kernel memory it keeps, and a small one after it', () => {
    // 2,100² source and 1,900² target pixels need 24 MB: more than the 16 MB kept between calls.
    const large = noise(2100, 2100, 3);
    const largeResized = resizeBilinearRgb(large, 2100, 2100, 1900, 1900);
    expect(
      largestDifference(largeResized, interLinearReference(large, 2100, 2100, 3, 1900, 1900)),
    ).toBeLessThanOrEqual(1);
    const small = noise(77, 58);
    expect(
      largestDifference(
        resizeBilinearRgb(small, 77, 58, 41, 31),
        interLinearReference(small, 77, 58, 3, 41, 31),
      ),
    ).toBeLessThanOrEqual(1);
  });

  it('gives the same pixels back at the same size', () => {
    const pixels = noise(33, 21);
    expect([...resizeBilinearRgb(pixels, 33, 21, 33, 21)]).toEqual([...pixels]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'turns upright by EXIF orientation %i in the same pass: as libvips turns it, then resized',
    async (orientation) => {
      const [width, height] = [29, 17];
      const pixels = noise(width, height, orientation);
      // A lossless PNG tagged with the orientation, turned by libvips itself.
      const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
        .withMetadata({ orientation })
        .png()
        .toBuffer();
      const { data, info } = await sharp(png).autoOrient().raw().toBuffer({ resolveWithObject: true });
      const [targetWidth, targetHeight] = [Math.round(info.width * 0.7), Math.round(info.height * 0.7)];
      expect(resizeBilinearRgb(pixels, width, height, targetWidth, targetHeight, orientation)).toEqual(
        resizeBilinearRgb(data, info.width, info.height, targetWidth, targetHeight),
      );
    },
  );

  it('refuses fewer bytes than the size declares, an empty or fractional size, and an orientation EXIF does not define', () => {
    expect(() => resizeBilinearRgb(new Uint8Array(10), 4, 4, 2, 2)).toThrow(RangeError);
    expect(() => resizeBilinearRgb(new Uint8Array(48), 4, 4, 0, 2)).toThrow(RangeError);
    expect(() => resizeBilinearRgb(new Uint8Array(48), 4, 4, 2, 1.5)).toThrow(RangeError);
    expect(() => resizeBilinearRgb(new Uint8Array(48), 4, 4, 2, 2, 9)).toThrow(RangeError);
  });
});

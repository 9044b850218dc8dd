import { describe, expect, it } from 'vitest';
import { letterboxFit, letterboxInto } from './letterbox.js';

/** `width × height` RGB pixels, all of one colour. */
const solid = (width: number, height: number, rgb: [number, number, number]) =>
  Uint8Array.from({ length: width * height * 3 }, (_, i) => rgb[i % 3] ?? 0);

/** A slot as a reused buffer leaves it: holding something else everywhere. */
const used = (size: number) => new Float32Array(3 * size * size).fill(Number.NaN);

describe('letterbox', () => {
  it('fits the image at the top left, pads with grey 114, and lays planes out B, G, R', () => {
    const fit = letterboxFit(200, 100, 416);
    expect(fit).toEqual({ ratio: 2.08, width: 416, height: 208 });
    const tensor = used(416);
    letterboxInto(tensor, solid(416, 208, [10, 20, 30]), 3, fit, 416);

    const plane = 416 * 416;
    const at = (x: number, y: number) => [0, 1, 2].map((c) => tensor[c * plane + y * 416 + x]);
    expect(at(5, 5)).toEqual([30, 20, 10]);
    expect(at(410, 200)).toEqual([30, 20, 10]); // inside: 100 · 2.08 = 208 rows
    expect(at(410, 212)).toEqual([114, 114, 114]); // below the image
    expect(at(0, 415)).toEqual([114, 114, 114]);
    expect(tensor.some(Number.isNaN)).toBe(false);
  });

  it('keeps the aspect ratio of a tall image and pads on the right', () => {
    const fit = letterboxFit(30, 60, 416);
    expect(fit.ratio).toBeCloseTo(416 / 60, 5);
    expect([fit.width, fit.height]).toEqual([208, 416]);
    const tensor = used(416);
    letterboxInto(tensor, solid(fit.width, fit.height, [200, 0, 0]), 3, fit, 416);
    const redPlane = 2 * 416 * 416;
    expect(tensor[redPlane + 100 * 416 + 200]).toBe(200); // x 200 < 30 · 6.93 = 208
    expect(tensor[redPlane + 100 * 416 + 215]).toBe(114);
    expect(tensor.some(Number.isNaN)).toBe(false);
  });

  it('reads pixels of four channels by their first three', () => {
    const rgba = Uint8Array.from({ length: 2 * 2 * 4 }, (_, i) => [1, 2, 3, 255][i % 4] ?? 0);
    const tensor = used(4);
    letterboxInto(tensor, rgba, 4, { width: 2, height: 2 }, 4);
    expect([tensor[5], tensor[16 + 5], tensor[32 + 5]]).toEqual([3, 2, 1]);
    expect(tensor[3]).toBe(114);
  });

  it('refuses fewer pixels than the fit says', () => {
    expect(() => letterboxInto(used(4), new Uint8Array(11), 3, { width: 2, height: 2 }, 4)).toThrow(
      RangeError,
    );
  });
});

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { letterbox } from './letterbox.js';

describe('letterbox', () => {
  it('fits the image at the top left, pads with grey 114, and lays planes out B, G, R', async () => {
    const image = sharp({
      create: { width: 200, height: 100, channels: 3, background: { r: 10, g: 20, b: 30 } },
    });
    const { tensor, ratio } = await letterbox(image, 200, 100, 416);

    expect(ratio).toBeCloseTo(2.08, 5);
    expect(tensor).toHaveLength(3 * 416 * 416);
    const plane = 416 * 416;
    const at = (x: number, y: number) => [0, 1, 2].map((c) => tensor[c * plane + y * 416 + x]);
    expect(at(5, 5)).toEqual([30, 20, 10]);
    expect(at(410, 200)).toEqual([30, 20, 10]); // inside: 100 · 2.08 = 208 rows
    expect(at(410, 212)).toEqual([114, 114, 114]); // below the image
    expect(at(0, 415)).toEqual([114, 114, 114]);
  });

  it('keeps the aspect ratio of a tall image and pads on the right', async () => {
    const image = sharp({
      create: { width: 30, height: 60, channels: 3, background: { r: 200, g: 0, b: 0 } },
    });
    const { tensor, ratio } = await letterbox(image, 30, 60, 416);
    expect(ratio).toBeCloseTo(416 / 60, 5);
    const redPlane = 2 * 416 * 416;
    expect(tensor[redPlane + 100 * 416 + 200]).toBe(200); // x 200 < 30 · 6.93 = 208
    expect(tensor[redPlane + 100 * 416 + 215]).toBe(114);
  });
});

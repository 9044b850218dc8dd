import { describe, expect, it } from 'vitest';
import { backgroundSpread } from './background-spread.js';
import { otsuLevel } from './ink-statistics.js';

/** A page whose paper darkens from left to right, with dark strokes: sizes that do not divide into the 8×8 grid. */
function shadedPage(width: number, height: number) {
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const stroke = y % 9 < 2 && x % 13 < 7;
      data[y * width + x] = stroke ? 20 + ((x * y) % 40) : 250 - Math.floor((x / width) * 60);
    }
  }
  return { data, width, height };
}

describe('backgroundSpread', () => {
  it('measures how unevenly the paper is lit', () => {
    expect(backgroundSpread(shadedPage(203, 117))).toBeGreaterThanOrEqual(40);
    const even = { data: Buffer.alloc(203 * 117, 240), width: 203, height: 117 };
    expect(backgroundSpread(even)).toBe(0);
  });

  it("leaves the page's Otsu level known, the same as counted afresh from its pixels", () => {
    const page = shadedPage(203, 117);
    const fresh = otsuLevel({ ...page, data: Buffer.from(page.data) });
    backgroundSpread(page);
    expect(otsuLevel(page)).toBe(fresh);
  });
});

// Real sharp on a page drawn here (../testing/page-images.ts); no recognizer.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageImage } from '../testing/page-images.js';
import { deskew, unrotateBox } from './deskew.js';
import { detectSkew } from './detect-skew.js';
import type { GreyImage } from './grey-image.js';

let straight: Buffer;
beforeAll(async () => {
  const lines = [
    'Harbour Logistics Ltd, 42 Harbour Road, Leeds',
    'Pallet wrap, 12 rolls at 4.50 each: 54.00',
    'Steel brackets, 250 units at 0.35 each: 87.50',
    'Payment within 30 days to account 12345678.',
  ];
  straight = await pageImage(
    1400,
    500,
    lines.map((text, i) => ({ x: 60, y: 100 + 90 * i, text })),
  );
});

async function grey(png: Buffer, degrees: number): Promise<GreyImage> {
  const { data, info } = await sharp(png)
    .rotate(degrees, { background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('detectSkew', () => {
  it.each([-10, -9.5, -7, -3, 0, 2, 5, 9.5, 10])(
    'finds a page turned %s° clockwise within 0.3°',
    async (degrees) => {
      expect(Math.abs(detectSkew(await grey(straight, degrees)) - degrees)).toBeLessThanOrEqual(0.3);
    },
  );

  it('says 0 for a blank page', async () => {
    expect(detectSkew({ data: Buffer.alloc(400 * 300, 255), width: 400, height: 300 })).toBe(0);
  });
});

describe('deskew', () => {
  it('straightens a 3° page and maps boxes back onto the page as given', async () => {
    const page = await grey(straight, 3);
    const result = await deskew(page);
    expect(result.rotation).toBeCloseTo(-3, 0);
    expect(detectSkew(result.image)).toBeCloseTo(0, 0);
    // The centre stays the centre; a box maps inside the page.
    const centre = {
      x0: result.image.width / 2,
      y0: result.image.height / 2,
      x1: result.image.width / 2 + 1,
      y1: result.image.height / 2 + 1,
    };
    const mapped = unrotateBox(centre, result.rotation, page, result.image);
    expect(Math.abs(mapped.x0 - page.width / 2)).toBeLessThanOrEqual(2);
    expect(Math.abs(mapped.y0 - page.height / 2)).toBeLessThanOrEqual(2);
  });

  it('leaves a straight page alone', async () => {
    const page = await grey(straight, 0);
    const result = await deskew(page);
    expect(result.rotation).toBe(0);
    expect(result.image).toBe(page);
  });
});

// Real sharp on a page drawn here; no OCR.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pageConditions } from './page-conditions.js';

const page = () =>
  sharp(
    Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><rect width="100%" height="100%" fill="#fff"/><text x="20" y="100" font-family="DejaVu Sans" font-size="40">Pallet wrap 54.00</text></svg>',
    ),
  )
    .png()
    .toBuffer();

describe('pageConditions', () => {
  it('makes the same bytes every run', async () => {
    const clean = await page();
    const [first, second] = await Promise.all([pageConditions(clean), pageConditions(clean)]);
    expect(first.map((c) => c.name)).toEqual([
      'clean',
      'skewed 3°',
      'noisy',
      'JPEG q20',
      'fax-like',
      'turned 90°',
      'unevenly lit',
    ]);
    first.forEach((condition, i) =>
      expect(condition.bytes.equals(second[i]?.bytes ?? Buffer.alloc(0))).toBe(true),
    );
  });

  it('keeps the page size, turned where the condition turns it', async () => {
    const sizes = await Promise.all(
      (await pageConditions(await page())).map(async ({ name, bytes }) => {
        const { width, height } = await sharp(bytes).metadata();
        return [name, width, height];
      }),
    );
    expect(sizes).toContainEqual(['fax-like', 600, 200]);
    expect(sizes).toContainEqual(['turned 90°', 200, 600]);
    expect(sizes).toContainEqual(['noisy', 600, 200]);
    expect(sizes).toContainEqual(['unevenly lit', 600, 200]);
  });

  it('dims an unevenly lit page toward its right edge', async () => {
    const lit = (await pageConditions(await page())).find((c) => c.name === 'unevenly lit');
    const data = await sharp(lit?.bytes).extractChannel(0).raw().toBuffer();
    // Top row (paper): white at the left, under half as bright at the right.
    expect(data[0]).toBe(255);
    expect(data[599]).toBeLessThan(128);
  });

  it('leaves a fax-like page in two levels only', async () => {
    const fax = (await pageConditions(await page())).find((c) => c.name === 'fax-like');
    const { data } = await sharp(fax?.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(new Set(data).size).toBeLessThanOrEqual(2);
  });
});

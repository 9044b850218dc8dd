// Real sharp on the shared OCR fixtures turned here; no recognizer.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readOcrFixture } from '../testing/ocr-fixtures.js';
import { receiptPage, tablePage } from '../testing/page-images.js';
import { detectOrientation } from './detect-orientation.js';
import { detectSkew } from './detect-skew.js';
import type { GreyImage } from './grey-image.js';
import { unturnBox } from './orient.js';

async function turned(image: Buffer, degrees: number): Promise<GreyImage> {
  const { data, info } = await sharp(image)
    .rotate(degrees, { background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The page dimmed toward the right edge to 45 % and toward the bottom by a further 20 % (paper and ink), as under a lamp. */
function shaded({ data, width, height }: GreyImage): GreyImage {
  const dimmed = Buffer.alloc(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      dimmed[i] = Math.round((data[i] ?? 255) * (1 - 0.55 * (x / width) ** 1.5) * (1 - 0.2 * (y / height)));
    }
  }
  return { data: dimmed, width, height };
}

const pages = ['invoice-clean.png', 'invoice-noisy.jpg', 'hard-small.png', 'page-a4.png'];

describe('detectOrientation', () => {
  it.each(pages.flatMap((file) => [0, 90, 180, 270].map((degrees) => ({ file, degrees }))))(
    'finds the turn back for $file turned $degrees° clockwise',
    async ({ file, degrees }) => {
      const page = await turned(readOcrFixture(file), degrees);
      expect(detectOrientation(page).turn).toBe((360 - degrees) % 360);
    },
  );

  // A global ink level counts the shadowed paper as ink: its edge then looks like one long line.
  it.each(
    ['invoice-clean.png', 'page-a4.png'].flatMap((file) =>
      [0, 90, 180].map((degrees) => ({ file, degrees })),
    ),
  )(
    'finds the turn back for $file shaded after being turned $degrees° clockwise',
    async ({ file, degrees }) => {
      const page = shaded(await turned(readOcrFixture(file), degrees));
      expect(detectOrientation(page).turn).toBe((360 - degrees) % 360);
    },
  );

  it.each([90, 270])('finds the turn back for a table turned %s° and skewed 4°', async (degrees) => {
    const page = await turned(await tablePage(), degrees + 4);
    expect(detectOrientation(page).turn).toBe((360 - degrees) % 360);
  });

  // Its characters stand in columns as sharp as its lines: the blank rows between lines decide.
  it.each([0, 90, 270])(
    'finds the turn back for a monospaced receipt turned %s° clockwise',
    async (degrees) => {
      const page = await turned(await receiptPage(), degrees);
      expect(detectOrientation(page).turn).toBe((360 - degrees) % 360);
    },
  );

  // deskew() takes this skew instead of searching again: it must be detectSkew's own answer.
  it.each([0, 3, -2])('finds an upright page skewed %s° as detectSkew does, on the way', async (degrees) => {
    const page = await turned(readOcrFixture('invoice-clean.png'), degrees);
    const { turn, skew } = detectOrientation(page);
    expect(turn).toBe(0);
    expect(skew).toBe(detectSkew(page));
  });

  it('leaves a blank page as it is', () => {
    expect(detectOrientation({ data: Buffer.alloc(400 * 300, 255), width: 400, height: 300 }).turn).toBe(0);
  });
});

describe('unturnBox', () => {
  // A 40×20 page; the box is its top-left corner, 4×2.
  const corner = { x0: 0, y0: 0, x1: 4, y1: 2 };
  it.each([
    // Turned 90° clockwise (20×40), the corner is at the top right: x 18..20, y 0..4.
    [90, { x0: 18, y0: 0, x1: 20, y1: 4 }],
    [180, { x0: 36, y0: 18, x1: 40, y1: 20 }],
    [270, { x0: 0, y0: 36, x1: 2, y1: 40 }],
  ] as const)('maps a box of the page turned %s° back onto the page as given', (turn, box) => {
    expect(unturnBox(box, turn, 40, 20)).toEqual(corner);
  });
});

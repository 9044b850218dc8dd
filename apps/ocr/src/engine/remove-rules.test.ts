// Real sharp renders the pages; no recognizer.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { GreyImage } from './grey-image.js';
import { removeRules } from './remove-rules.js';

async function render(body: string, width = 1200, height = 600): Promise<GreyImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .flatten({ background: '#fff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const text = (x: number, y: number, words: string) =>
  `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="46">${words}</text>`;

/** Pixels darker than mid grey inside a box. */
function inkIn({ data, width }: GreyImage, x0: number, y0: number, x1: number, y1: number): number {
  let ink = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if ((data[y * width + x] ?? 255) < 128) ink++;
  return ink;
}

describe('removeRules', () => {
  it('turns the borders of a ruled table to paper and keeps the text in its cells, strokes crossing a rule included', async () => {
    const grid =
      [100, 200, 300]
        .map((y) => `<line x1="50" y1="${y}" x2="1150" y2="${y}" stroke="#222" stroke-width="3"/>`)
        .join('') +
      [50, 600, 1150]
        .map((x) => `<line x1="${x}" y1="100" x2="${x}" y2="300" stroke="#222" stroke-width="3"/>`)
        .join('');
    // "gypsy" hangs its descenders across the rule under it.
    const cells =
      text(80, 170, 'Steel brackets') +
      text(640, 170, '94.00') +
      text(80, 270, 'gypsy') +
      text(640, 270, '45.00');
    const plain = await render(cells);
    const { image, removed } = removeRules(await render(grid + cells));
    expect(removed).toBeGreaterThan(0);
    // Along the rules, away from the letters, nothing is left.
    expect(inkIn(image, 40, 95, 1160, 106)).toBe(0);
    expect(inkIn(image, 595, 100, 606, 300)).toBe(0);
    // The text is all there: within a few pixels of the page drawn without rules.
    const letters = (page: GreyImage) => inkIn(page, 60, 110, 1140, 296);
    expect(Math.abs(letters(image) - letters(plain))).toBeLessThan(0.03 * letters(plain));
  });

  it('leaves a page without rules as it is', async () => {
    const page = await render(text(80, 170, 'Invoices are due thirty days after the date of issue.'));
    expect(removeRules(page)).toEqual({ image: page, removed: 0 });
  });

  it('keeps a thick dark band (a shadow, a picture) and short strokes such as dashes', async () => {
    const page = await render(
      `<rect x="0" y="400" width="1200" height="60" fill="#333"/>` + text(80, 170, 'A — B _ C'),
    );
    expect(removeRules(page).removed).toBe(0);
  });
});

// Unit: TSV as the native CLI writes it (rows copied from `tesseract invoice-clean.png stdout tsv`).
import { describe, expect, it } from 'vitest';
import { parseTesseractTsv } from './tesseract-tsv.js';

const rows = [
  '1\t1\t0\t0\t0\t0\t0\t0\t1839\t733\t-1\t',
  '2\t1\t1\t0\t0\t0\t150\t158\t1533\t423\t-1\t',
  '4\t1\t1\t1\t1\t0\t154\t158\t536\t36\t-1\t',
  '5\t1\t1\t1\t1\t1\t154\t158\t182\t36\t95.944313\tINVOICE',
  '5\t1\t1\t1\t1\t2\t358\t159\t67\t34\t90.055687\tNo.',
  '4\t1\t1\t2\t1\t0\t154\t212\t590\t45\t-1\t',
  '5\t1\t1\t2\t1\t1\t154\t213\t115\t35\t80\tDate:',
];

describe('parseTesseractTsv', () => {
  it('groups the words by line with their boxes, and takes the mean word confidence', () => {
    expect(parseTesseractTsv(rows)).toEqual({
      confidence: 89,
      lines: [
        [
          { text: 'INVOICE', confidence: 95.944313, bbox: { x0: 154, y0: 158, x1: 336, y1: 194 } },
          { text: 'No.', confidence: 90.055687, bbox: { x0: 358, y0: 159, x1: 425, y1: 193 } },
        ],
        [{ text: 'Date:', confidence: 80, bbox: { x0: 154, y0: 213, x1: 269, y1: 248 } }],
      ],
    });
  });

  it('reads a page without words as no lines and confidence 0', () => {
    expect(parseTesseractTsv(['1\t1\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t'])).toEqual({
      confidence: 0,
      lines: [],
    });
  });

  it('refuses output that is not the TSV it expects', () => {
    expect(() => parseTesseractTsv(['INVOICE No. 2024'])).toThrow('unexpected tesseract TSV row');
    expect(() => parseTesseractTsv(['5\t1\t1'])).toThrow('unexpected tesseract TSV row');
  });
});

import { describe, expect, it } from 'vitest';
import { OcrExtractInput } from './ocr-extract.js';

const file = { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' };

describe('OcrExtractInput pages', () => {
  it('reads a range of one page, an open-ended one, and first alone defaulting to page 1', () => {
    expect(OcrExtractInput.parse({ file, pages: { first: 3, last: 3 } }).pages).toEqual({
      first: 3,
      last: 3,
    });
    expect(OcrExtractInput.parse({ file, pages: { first: 2 } }).pages).toEqual({ first: 2 });
    expect(OcrExtractInput.parse({ file, pages: { last: 4 } }).pages).toEqual({ first: 1, last: 4 });
  });

  it('refuses a range whose last page comes before its first, on the range', () => {
    const result = OcrExtractInput.safeParse({ file, pages: { first: 3, last: 2 } });
    expect(result.error?.issues).toMatchObject([
      { path: ['pages'], message: 'pages.last must not be before pages.first' },
    ]);
    // first defaults to 1 before the check: a last of 1 is the first page, not a backwards range.
    expect(OcrExtractInput.safeParse({ file, pages: { last: 1 } }).success).toBe(true);
  });

  it('refuses page numbers below 1 and fractions', () => {
    for (const pages of [{ first: 0 }, { first: 1.5 }, { first: 1, last: 2.5 }]) {
      expect([pages, OcrExtractInput.safeParse({ file, pages }).success]).toEqual([pages, false]);
    }
  });
});

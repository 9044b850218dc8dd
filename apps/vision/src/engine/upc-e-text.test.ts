import { describe, expect, it } from 'vitest';
import { upcEText } from './upc-e-text.js';

describe('upcEText', () => {
  it.each([
    ['0012345000065', '01234565'], // product code 5–9 after five maker digits
    ['012345000065', '01234565'],
  ])('turns %s back into its UPC-E digits', (gtin, expected) => {
    expect(upcEText(gtin)).toBe(expected);
  });

  it('compresses each of the four zero patterns', () => {
    expect(upcEText('012000003455')).toBe('01234505'); // maker ends 000 (m3 ≤ 2): m1 m2 p3 p4 p5 m3
    expect(upcEText('012300000645')).toBe('01236435'); // maker ends 00: m1 m2 m3 p4 p5 3
    expect(upcEText('012340000055')).toBe('01234545'); // maker ends 0: m1..m4 p5 4
  });

  it('leaves what is not a compressible UPC-A alone', () => {
    expect(upcEText('5901234123457')).toBe('5901234123457');
    expect(upcEText('036000291452')).toBe('036000291452');
  });
});

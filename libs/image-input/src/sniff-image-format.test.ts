import { describe, expect, it } from 'vitest';
import { sniffImageFormat } from './sniff-image-format.js';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))),
  );

/** An ISO-BMFF `ftyp` box of 24 bytes: size, 'ftyp', major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]): Buffer =>
  bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], ...compatible, [0, 0, 0, 0]);

describe('sniffImageFormat', () => {
  it.each([
    ['png', bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13])],
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['tiff', bytes('II', [0x2a, 0])],
    ['tiff', bytes('MM', [0, 0x2a])],
    ['tiff', bytes('II', [0x2b, 0])],
    ['tiff', bytes('MM', [0, 0x2b])],
    ['webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')],
    ['gif', bytes('GIF89a')],
    ['gif', bytes('GIF87a')],
    ['bmp', bytes('BM', new Array<number>(12).fill(0), [12, 0, 0, 0])],
    ['bmp', bytes('BM', new Array<number>(12).fill(0), [40, 0, 0, 0])],
    ['bmp', bytes('BM', new Array<number>(12).fill(0), [124, 0, 0, 0])],
    ['avif', ftyp('avif', 'mif1', 'miaf')],
    ['avif', ftyp('mif1', 'avif')],
    ['heic', ftyp('heic', 'mif1')],
    ['heic', ftyp('mif1', 'heic')],
  ] as const)('knows %s from its magic bytes', (format, data) => {
    expect(sniffImageFormat(data)).toBe(format);
  });

  it.each([
    ['nothing', bytes()],
    ['a PNG signature cut short', bytes([0x89], 'PNG')],
    ['text that starts with BM', bytes('BMW sales report, 2024 Q3\n')],
    ['RIFF audio', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt ')],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['PDF', bytes('%PDF-1.7\n')],
    ['an MP4 video', ftyp('isom', 'iso2', 'mp41')],
  ])('refuses %s', (_, data) => {
    expect(sniffImageFormat(data)).toBeNull();
  });
});

import type { GreyImage } from './grey-image.js';

// Baseline TIFF 6.0 field types.
const short = 3;
const long = 4;

/**
 * The page as an uncompressed 8-bit grey TIFF: one strip, little-endian, no resolution field.
 *
 * Both recognizers read the page through leptonica, whose PNM reader takes a PGM one byte per `fread`:
 * a 300 dpi A4 page read 0.1 s slower as PGM than as this TIFF of the same pixels (native CLI, one
 * thread; tesseract.js 0.17 s), with the same TSV out. sharp's TIFF always carries a resolution
 * (25.4 dpi by default), which tesseract warns of and replaces; without one, tesseract takes the
 * resolution it takes for a PGM.
 */
export function toTiff({ width, height, data }: GreyImage): Buffer {
  if (data.length !== width * height) {
    throw new Error(`expected ${width}×${height} one-byte grey pixels, got ${data.length} bytes`);
  }
  const fields: [tag: number, type: number, value: number][] = [
    [256, long, width], // ImageWidth
    [257, long, height], // ImageLength
    [258, short, 8], // BitsPerSample
    [259, short, 1], // Compression: none
    [262, short, 1], // PhotometricInterpretation: black is zero
    [273, long, 0], // StripOffsets: the pixels right after this header, set below
    [277, short, 1], // SamplesPerPixel
    [278, long, height], // RowsPerStrip: the whole page
    [279, long, data.length], // StripByteCounts
  ];
  const header = Buffer.alloc(8 + 2 + fields.length * 12 + 4);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4); // the one directory follows at once
  header.writeUInt16LE(fields.length, 8);
  fields.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    header.writeUInt16LE(tag, at);
    header.writeUInt16LE(type, at + 2);
    header.writeUInt32LE(1, at + 4);
    const stored = tag === 273 ? header.length : value;
    if (type === short) header.writeUInt16LE(stored, at + 8);
    else header.writeUInt32LE(stored, at + 8);
  });
  // The next directory's offset stays 0: one page.
  return Buffer.concat([header, data]);
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import bwipjs from 'bwip-js';
import sharp, { type Sharp } from 'sharp';

/** A bench image: its bytes and the one symbol (format and text) on it, or none. */
export interface CorpusImage {
  name: string;
  format: string | null;
  variant: string;
  expected: string | null;
  png: Buffer;
}

interface Symbol {
  format: string;
  bcid: string;
  text: string;
  expected: string;
  linear: boolean;
}

// Every format `vision.barcodes` reads, with the text a reader must return.
// prettier-ignore
const symbols: readonly Symbol[] = [
  { format: 'qr_code', bcid: 'qrcode', text: 'https://example.com/p/42', expected: 'https://example.com/p/42', linear: false },
  { format: 'micro_qr_code', bcid: 'microqrcode', text: '01234567', expected: '01234567', linear: false },
  { format: 'ean_13', bcid: 'ean13', text: '5901234123457', expected: '5901234123457', linear: true },
  { format: 'ean_8', bcid: 'ean8', text: '96385074', expected: '96385074', linear: true },
  { format: 'upc_a', bcid: 'upca', text: '036000291452', expected: '036000291452', linear: true },
  { format: 'upc_e', bcid: 'upce', text: '01234565', expected: '01234565', linear: true },
  { format: 'code_128', bcid: 'code128', text: 'SHIP-000123-AB', expected: 'SHIP-000123-AB', linear: true },
  { format: 'code_39', bcid: 'code39', text: 'GANTRY-39', expected: 'GANTRY-39', linear: true },
  { format: 'itf', bcid: 'interleaved2of5', text: '12345678', expected: '12345678', linear: true },
  { format: 'data_matrix', bcid: 'datamatrix', text: 'LOT:A1B2C3;EXP:2027-12', expected: 'LOT:A1B2C3;EXP:2027-12', linear: false },
  { format: 'pdf417', bcid: 'pdf417', text: 'PDF417 manifest 2026', expected: 'PDF417 manifest 2026', linear: false },
  { format: 'aztec', bcid: 'azteccode', text: 'Aztec ticket 7', expected: 'Aztec ticket 7', linear: false },
];

/** How each symbol is spoilt (modules of `scale` pixels), before it is pasted on a light grey page. */
const variants: Record<string, { scale: number; spoil: (symbol: Sharp) => Sharp }> = {
  clean: { scale: 3, spoil: (s) => s },
  'rotated 15°': { scale: 3, spoil: (s) => s.rotate(15, { background: '#ffffff' }) },
  'rotated 40°': { scale: 3, spoil: (s) => s.rotate(40, { background: '#ffffff' }) },
  'blur σ 1.5': { scale: 3, spoil: (s) => s.blur(1.5) },
  'low contrast': { scale: 3, spoil: (s) => s.linear(0.25, 150) },
  // 1 pixel per module, as on a photo taken from afar.
  small: { scale: 1, spoil: (s) => s },
  'rotated 25° + blur + contrast': {
    scale: 3,
    spoil: (s) => s.rotate(25, { background: '#ffffff' }).blur(1).linear(0.4, 120),
  },
};

async function render(symbol: Symbol, scale: number): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: symbol.bcid,
    text: symbol.text,
    scale,
    ...(symbol.linear ? { height: 12 } : {}),
    paddingwidth: 10,
    paddingheight: 10,
    backgroundcolor: 'FFFFFF',
  });
}

async function onPage(symbolPng: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(symbolPng).metadata();
  const page = { width: Math.max(900, width + 100), height: Math.max(700, height + 100) };
  return sharp({ create: { ...page, channels: 3, background: '#e8e8e8' } })
    .composite([
      {
        input: symbolPng,
        left: Math.round((page.width - width) / 2),
        top: Math.round((page.height - height) / 2),
      },
    ])
    .png()
    .toBuffer();
}

/**
 * Symbols of every format in every variant, plus pages without a symbol (photos and documents from
 * the shared fixtures): what a decoder must find, and where it must find nothing.
 */
export async function barcodeCorpus(fixturesDir: string): Promise<CorpusImage[]> {
  const images: CorpusImage[] = [];
  for (const symbol of symbols) {
    for (const [variant, { scale, spoil }] of Object.entries(variants)) {
      const spoilt = await spoil(sharp(await render(symbol, scale)))
        .png()
        .toBuffer();
      images.push({
        name: `${symbol.format} ${variant}`,
        format: symbol.format,
        variant,
        expected: symbol.expected,
        png: await onPage(spoilt),
      });
    }
  }
  const blanks = ['images/dog.jpg', 'images/astronaut.png', 'images/coffee.png', 'images/cat-chelsea.png'];
  for (const file of [...blanks, 'ocr/invoice-clean.png', 'ocr/invoice-noisy.jpg', 'ocr/hard-photo.jpg']) {
    const bytes = await readFile(path.join(fixturesDir, file));
    images.push({ name: file, format: null, variant: 'no symbol', expected: null, png: bytes });
  }
  return images;
}

import type { BarcodeFormat } from '@gantry/contracts';
import bwipjs from 'bwip-js';
import { scanLineFormats } from '../engine/barcode-formats.js';

export interface SymbolSpec {
  format: BarcodeFormat;
  /** bwip-js encoder name. */
  bcid: string;
  text: string;
  /** What a reader must return (check digits added by the encoder included). */
  expected: string;
}

/** One symbol of every format `vision.barcodes` reads, with the text it must decode to. */
export const symbolSpecs: readonly SymbolSpec[] = [
  {
    format: 'qr_code',
    bcid: 'qrcode',
    text: 'https://example.com/p/42',
    expected: 'https://example.com/p/42',
  },
  { format: 'micro_qr_code', bcid: 'microqrcode', text: '01234567', expected: '01234567' },
  { format: 'ean_13', bcid: 'ean13', text: '5901234123457', expected: '5901234123457' },
  { format: 'ean_8', bcid: 'ean8', text: '96385074', expected: '96385074' },
  { format: 'upc_a', bcid: 'upca', text: '036000291452', expected: '036000291452' },
  { format: 'upc_e', bcid: 'upce', text: '01234565', expected: '01234565' },
  { format: 'code_128', bcid: 'code128', text: 'SHIP-000123-AB', expected: 'SHIP-000123-AB' },
  { format: 'code_39', bcid: 'code39', text: 'GANTRY-39', expected: 'GANTRY-39' },
  { format: 'itf', bcid: 'interleaved2of5', text: '12345678', expected: '12345678' },
  {
    format: 'data_matrix',
    bcid: 'datamatrix',
    text: 'LOT:A1B2C3;EXP:2027-12',
    expected: 'LOT:A1B2C3;EXP:2027-12',
  },
  { format: 'pdf417', bcid: 'pdf417', text: 'PDF417 manifest 2026', expected: 'PDF417 manifest 2026' },
  { format: 'aztec', bcid: 'azteccode', text: 'Aztec ticket 7', expected: 'Aztec ticket 7' },
];

/** Renders a symbol as a PNG: black on white, 3 px per module (or `scale`), a quiet zone around it. */
export function renderSymbol(
  spec: SymbolSpec,
  options: { parse?: boolean; scale?: number } = {},
): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: spec.bcid,
    text: spec.text,
    scale: options.scale ?? 3,
    // Bar height in mm, for linear codes only: 2D symbols take their size from their modules.
    ...(scanLineFormats.has(spec.format) ? { height: 12 } : {}),
    paddingwidth: 12,
    paddingheight: 12,
    backgroundcolor: 'FFFFFF',
    ...(options.parse ? { parse: true } : {}),
  });
}

import type { BarcodeFormat } from '@gantry/contracts';
import type { ReadInputBarcodeFormat, ReadResult } from 'zxing-wasm/reader';

/** Our format names → the zxing-cpp format each asks for. */
export const zxingFormats: Record<BarcodeFormat, ReadInputBarcodeFormat> = {
  qr_code: 'QRCode',
  micro_qr_code: 'MicroQRCode',
  ean_13: 'EAN13',
  ean_8: 'EAN8',
  upc_a: 'UPCA',
  upc_e: 'UPCE',
  code_128: 'Code128',
  code_39: 'Code39',
  itf: 'ITF',
  data_matrix: 'DataMatrix',
  pdf417: 'PDF417',
  aztec: 'Aztec',
};

/**
 * Formats read along scan lines: they need the image turned towards them; zxing finds matrix codes
 * at any angle (PDF417 aside, which it reads only nearly upright, turned image or not).
 */
export const scanLineFormats: ReadonlySet<BarcodeFormat> = new Set([
  'ean_13',
  'ean_8',
  'upc_a',
  'upc_e',
  'code_128',
  'code_39',
  'itf',
]);

// zxing-cpp reports variants (QRCodeModel2, Code39Std, ITF14, CompactPDF417…) under their family.
const byFamily: readonly [prefix: string, format: BarcodeFormat][] = [
  ['MicroQRCode', 'micro_qr_code'],
  ['QRCode', 'qr_code'],
  ['EAN13', 'ean_13'],
  ['EAN8', 'ean_8'],
  ['UPCA', 'upc_a'],
  ['UPCE', 'upc_e'],
  ['Code128', 'code_128'],
  ['Code39', 'code_39'],
  ['ITF', 'itf'],
  ['DataMatrix', 'data_matrix'],
  ['PDF417', 'pdf417'],
  ['CompactPDF417', 'pdf417'],
  ['Aztec', 'aztec'],
];

/**
 * The format of a zxing result in our names; null for a symbology this job type does not report.
 * An EAN-13 starting with 0 has the very bars of a UPC-A: it is reported as the UPC-A when that was asked for.
 */
export function formatOf(
  result: Pick<ReadResult, 'format' | 'text'>,
  wanted: readonly BarcodeFormat[],
): BarcodeFormat | null {
  const format = byFamily.find(([prefix]) => result.format.startsWith(prefix))?.[1] ?? null;
  if (format === 'ean_13' && result.text.startsWith('0') && wanted.includes('upc_a')) return 'upc_a';
  return format;
}

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Barcode, BarcodeFormat, ModelInfo } from '@gantry/contracts';
import { openImage } from '@gantry/image-input';
import type { Sharp } from 'sharp';
import { prepareZXingModule, readBarcodes, type ReadResult, ZXING_WASM_VERSION } from 'zxing-wasm/reader';
import { formatOf, scanLineFormats, zxingFormats } from './barcode-formats.js';
import { linearReadingOrder } from './linear-reading-order.js';
import { rotatePoint } from './rotate-point.js';
import { upcEText } from './upc-e-text.js';

export interface ReadBarcodesOptions {
  formats: readonly BarcodeFormat[];
  maxSymbols: number;
  signal?: AbortSignal;
}

export interface BarcodeReading {
  width: number;
  height: number;
  barcodes: Barcode[];
}

export interface BarcodeReader {
  /** zxing-wasm's version, and the sha256 of the wasm it runs. */
  readonly model: ModelInfo;
  read(bytes: Buffer, options: ReadBarcodesOptions): Promise<BarcodeReading>;
}

/**
 * Angles the image is also read at for linear codes: zxing scans rows and columns (and, with
 * tryRotate, the image turned by 90°), so a bar code tilted by 45° would cross no scan line whole.
 */
const linearPassAngles = [45, -22.5, 22.5] as const;

const contentTypes = {
  Text: 'text',
  Binary: 'binary',
  Mixed: 'mixed',
  GS1: 'gs1',
  ISO15434: 'iso15434',
  UnknownECI: 'unknown_eci',
} as const satisfies Record<ReadResult['contentType'], Barcode['content_type']>;

interface Pass {
  image: Sharp;
  formats: readonly BarcodeFormat[];
  /** Degrees the pass image is turned (clockwise) from the upright image, about its centre. */
  angle: number;
  /** Also look for symbols in the inverted image (light on dark). */
  invert: boolean;
  /** zxing's denoising retry (morphological closing): slow, so only once nothing else was found. */
  denoise: boolean;
}

interface Size {
  width: number;
  height: number;
}

type Corners = Barcode['position'];

/**
 * Clockwise degrees from upright, from the direction the symbol's left edge points (bottom left →
 * top left), its corners in reading order. zxing's own `orientation` is a multiple of 90° for
 * linear codes, whose corners come from the scan lines that crossed them: their left edge still
 * leans as the bars do.
 */
function orientationOf({ top_left: top, bottom_left: bottom }: Corners): number {
  const degrees = (Math.atan2(top.x - bottom.x, bottom.y - top.y) * 180) / Math.PI;
  return Math.round(degrees === -180 ? 180 : degrees);
}

/** The digits printed under UPC symbols; zxing-cpp reports both as GTIN-13. */
function printedText(format: BarcodeFormat, text: string): string {
  if (format === 'upc_e') return upcEText(text);
  if (format === 'upc_a' && text.length === 13) return text.slice(1);
  return text;
}

function toBarcode(
  result: ReadResult,
  format: BarcodeFormat,
  pass: Pass,
  size: Size,
  passSize: Size,
): Barcode {
  const point = (p: { x: number; y: number }) => {
    const q = rotatePoint(p, -pass.angle, passSize, size);
    return { x: Math.round(q.x), y: Math.round(q.y) };
  };
  const contentType = contentTypes[result.contentType];
  const found = {
    top_left: point(result.position.topLeft),
    top_right: point(result.position.topRight),
    bottom_right: point(result.position.bottomRight),
    bottom_left: point(result.position.bottomLeft),
  };
  const position = scanLineFormats.has(format) ? linearReadingOrder(found) : found;
  return {
    format,
    text: printedText(format, result.text),
    bytes_base64: contentType === 'binary' ? Buffer.from(result.bytes).toString('base64') : null,
    content_type: contentType,
    position,
    orientation: orientationOf(position),
  };
}

const centre = (barcode: Barcode) => {
  const corners = Object.values(barcode.position);
  return {
    x: corners.reduce((sum, p) => sum + p.x, 0) / 4,
    y: corners.reduce((sum, p) => sum + p.y, 0) / 4,
  };
};

/** Whether `point` lies inside the symbol's quadrilateral (convex, corners in order), with a margin of a few pixels. */
function covers(barcode: Barcode, point: { x: number; y: number }): boolean {
  const { top_left, top_right, bottom_right, bottom_left } = barcode.position;
  const corners = [top_left, top_right, bottom_right, bottom_left];
  const signs = corners.map((a, i) => {
    const b = corners[(i + 1) % 4] ?? a;
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    return ((b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x)) / length;
  });
  const margin = 4;
  return signs.every((d) => d >= -margin) || signs.every((d) => d <= margin);
}

/** The same symbol read by two passes: same payload, centres closer than its long side. */
function isRepeat(found: Barcode, candidate: Barcode): boolean {
  if (found.format !== candidate.format || found.text !== candidate.text) return false;
  const a = centre(found);
  const b = centre(candidate);
  const { top_left: tl, top_right: tr, bottom_left: bl } = found.position;
  const reach = Math.max(Math.hypot(tr.x - tl.x, tr.y - tl.y), Math.hypot(bl.x - tl.x, bl.y - tl.y), 8);
  return Math.hypot(a.x - b.x, a.y - b.y) < reach;
}

/** How far apart the first and last scan lines through a symbol's start were: its left edge. */
const leftEdge = ({ position: { top_left: top, bottom_left: bottom } }: Barcode) =>
  Math.hypot(top.x - bottom.x, top.y - bottom.y);

/**
 * Adds a symbol unless it is one already found: the same one read again by another pass, or part
 * of it (two symbols never overlap; of a partial read and a whole one, the longer text stays). Of
 * two reads of one linear symbol, the one whose scan lines spread much further along its bars
 * stays: a symbol tilted by 30° crossed by a few rows of the upright image has a left edge a few
 * pixels long, which gave its orientation to within 8°; the pass turned towards it spans its bars.
 */
function addSymbol(found: Barcode[], candidate: Barcode): void {
  const index = found.findIndex(
    (barcode) =>
      isRepeat(barcode, candidate) ||
      covers(barcode, centre(candidate)) ||
      covers(candidate, centre(barcode)),
  );
  const existing = found[index];
  if (!existing) found.push(candidate);
  else if (existing.format !== candidate.format) return;
  else if (
    candidate.text.length > existing.text.length ||
    (candidate.text === existing.text && leftEdge(candidate) > 1.5 * leftEdge(existing))
  ) {
    found[index] = candidate;
  }
}

/** Interleaved 2 of 5 has no start pattern strong enough to rule out partial reads of short runs. */
const minItfDigits = 6;

async function rgba(image: Sharp) {
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  // zxing-wasm takes anything shaped like ImageData and reduces it to luminance itself.
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    colorSpace: 'srgb',
  } as unknown as Parameters<typeof readBarcodes>[0];
}

/**
 * Reads bar codes with zxing-cpp (zxing-wasm). The image is decoded by `@gantry/image-input`
 * (format sniffed, pixel limit checked before decoding, EXIF orientation applied), never by the
 * decoder inside the wasm. Only symbols with valid checksums are reported.
 *
 * The wasm binary is handed over as bytes: zxing-wasm otherwise fetches it from a CDN, even in Node.
 */
export async function createBarcodeReader({ maxPixels }: { maxPixels: number }): Promise<BarcodeReader> {
  const require = createRequire(import.meta.url);
  const wasmBinary = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareZXingModule({
    overrides: {
      wasmBinary: wasmBinary.buffer.slice(
        wasmBinary.byteOffset,
        wasmBinary.byteOffset + wasmBinary.byteLength,
      ),
    },
    fireImmediately: true,
  });
  const { createHash } = await import('node:crypto');
  const model: ModelInfo = {
    name: 'zxing-wasm',
    version: ZXING_WASM_VERSION,
    sha256: createHash('sha256').update(wasmBinary).digest('hex'),
  };

  return {
    model,
    async read(bytes, { formats, maxSymbols, signal }) {
      signal?.throwIfAborted();
      const opened = await openImage(bytes, { maxPixels });
      const size = { width: opened.width, height: opened.height };
      const linear = formats.filter((format) => scanLineFormats.has(format));
      const upright = { formats, angle: 0, invert: true };
      const passes: Pass[] = [
        { ...upright, image: opened.image.clone(), denoise: false },
        ...(linear.length === 0
          ? []
          : linearPassAngles.map((angle) => ({
              image: opened.image.clone().rotate(angle, { background: '#ffffff' }),
              formats: linear,
              angle,
              invert: false,
              denoise: false,
            }))),
      ];
      const barcodes: Barcode[] = [];
      const read = async (pass: Pass) => {
        signal?.throwIfAborted();
        const pixels = await rgba(pass.image);
        const results = await readBarcodes(pixels, {
          formats: pass.formats.map((format) => zxingFormats[format]),
          tryHarder: true,
          tryRotate: true,
          tryInvert: pass.invert,
          tryDownscale: true,
          tryDenoise: pass.denoise,
          maxNumberOfSymbols: maxSymbols,
        });
        for (const result of results) {
          const format = result.isValid ? formatOf(result, formats) : null;
          if (!format || !formats.includes(format)) continue;
          if (format === 'itf' && result.text.length < minItfDigits) continue;
          addSymbol(barcodes, toBarcode(result, format, pass, size, pixels));
        }
      };
      for (const pass of passes) if (barcodes.length < maxSymbols) await read(pass);
      if (barcodes.length === 0) await read({ ...upright, image: opened.image.clone(), denoise: true });
      return { ...size, barcodes: barcodes.slice(0, maxSymbols) };
    },
  };
}

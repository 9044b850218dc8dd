import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { barcodeFormats, type Barcode } from '@gantry/contracts';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSymbol, type SymbolSpec, symbolSpecs } from '../testing/barcode-symbols.js';
import { scanLineFormats } from './barcode-formats.js';
import { type BarcodeReader, createBarcodeReader } from './barcode-reader.js';
import { rotatePoint } from './rotate-point.js';

// Real zxing-wasm on real PNG/JPEG files, decoded by @gantry/image-input: nothing is mocked.
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures');
const fixture = (name: string) => readFile(path.join(fixtures, name));
const all = { formats: barcodeFormats, maxSymbols: 16 };

let reader: BarcodeReader;
beforeAll(async () => {
  reader = await createBarcodeReader({ maxPixels: 40_000_000 });
});

const texts = (barcodes: Barcode[]) => barcodes.map((b) => `${b.format}:${b.text}`).sort();

const inside = (barcode: Barcode, width: number, height: number) =>
  Object.values(barcode.position).every(
    (p) => p.x >= -2 && p.y >= -2 && p.x <= width + 2 && p.y <= height + 2,
  );

describe('createBarcodeReader with zxing-wasm, offline', () => {
  it('announces zxing-wasm with the sha256 of the wasm it runs', () => {
    expect(reader.model).toEqual({
      name: 'zxing-wasm',
      version: expect.stringMatching(/^\d+\.\d+/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('reads the shared fixtures exactly as their notes say', async () => {
    const cases: [string, string[]][] = [
      ['barcodes/ean13.png', ['ean_13:5901234123457']],
      ['barcodes/code128.png', ['code_128:SHIP-000123-AB']],
      ['barcodes/datamatrix.png', ['data_matrix:LOT:A1B2C3;EXP:2027-12']],
      ['barcodes/qr-utf8.png', ['qr_code:Zürich → Łódź: 3 Paletten ✓']],
      [
        'barcodes/photo-mixed.jpg',
        ['ean_13:5901234123457', 'qr_code:https://example.com/t/ORD-2024-0917?c=42'],
      ],
    ];
    for (const [file, expected] of cases) {
      const { barcodes } = await reader.read(await fixture(file), all);
      expect(texts(barcodes), file).toEqual(expected);
    }
  });

  it.each(symbolSpecs)('reads a generated $format symbol with its format, text and corners', async (spec) => {
    const png = await renderSymbol(spec);
    const { width, height } = await sharp(png).metadata();
    const result = await reader.read(png, all);
    expect(result).toMatchObject({ width, height });
    expect(texts(result.barcodes)).toEqual([`${spec.format}:${spec.expected}`]);
    const [barcode] = result.barcodes;
    expect(barcode && inside(barcode, width, height)).toBe(true);
    expect(barcode?.content_type).toBe('text');
    expect(barcode?.bytes_base64).toBeNull();
  });

  it.each(['ean_13', 'code_128'])(
    'finds a %s turned by 30°, with its corners in the upright image and its orientation',
    async (format) => {
      const spec = symbolSpecs.find((s) => s.format === format) ?? expect.unreachable(`no ${format} spec`);
      const upright = await renderSymbol(spec);
      const turned = await sharp(upright).rotate(30, { background: '#ffffff' }).png().toBuffer();
      const { width = 0, height = 0 } = await sharp(turned).metadata();
      const { barcodes } = await reader.read(turned, all);
      expect(texts(barcodes)).toEqual([`${format}:${spec.expected}`]);
      const [barcode] = barcodes;
      expect(barcode && inside(barcode, width, height)).toBe(true);
      expect(Math.abs(Math.abs(barcode?.orientation ?? 0) - 30)).toBeLessThanOrEqual(6);
      // The symbol's centre is the image's centre: sharp turns about it.
      const corners = barcode?.position ?? expect.unreachable('no barcode found');
      const cx = Object.values(corners).reduce((s, p) => s + p.x, 0) / 4;
      expect(Math.abs(cx - width / 2)).toBeLessThan(width * 0.15);
    },
  );

  describe.each([
    // 1 pixel per module, as on a photo taken from afar.
    ['small', async (spec: SymbolSpec) => renderSymbol(spec, { scale: 1 })],
    [
      'blurred',
      async (spec: SymbolSpec) =>
        sharp(await renderSymbol(spec))
          .blur(1.5)
          .png()
          .toBuffer(),
    ],
    // Bars at level 150 on a 214 background: a quarter of the range, as on a faded thermal label.
    [
      'low-contrast',
      async (spec: SymbolSpec) =>
        sharp(await renderSymbol(spec))
          .linear(0.25, 150)
          .png()
          .toBuffer(),
    ],
  ] as const)('a %s symbol on a grey page', (_, spoil) => {
    it.each(symbolSpecs)('reads $format', async (spec) => {
      const symbol = await spoil(spec);
      const { width = 0, height = 0 } = await sharp(symbol).metadata();
      const page = await sharp({
        create: { width: width + 200, height: height + 200, channels: 3, background: '#e8e8e8' },
      })
        .composite([{ input: symbol, left: 100, top: 100 }])
        .png()
        .toBuffer();
      const { barcodes } = await reader.read(page, all);
      expect(texts(barcodes)).toEqual([`${spec.format}:${spec.expected}`]);
      const [barcode] = barcodes;
      // Found where it was pasted, not somewhere on the page around it.
      for (const p of Object.values(barcode?.position ?? {})) {
        expect(p.x).toBeGreaterThanOrEqual(98);
        expect(p.x).toBeLessThanOrEqual(width + 102);
        expect(p.y).toBeGreaterThanOrEqual(98);
        expect(p.y).toBeLessThanOrEqual(height + 102);
      }
    });
  });

  it.each([
    [90, 90],
    [180, 180],
    [270, -90],
  ])(
    'reads a QR code turned %i° clockwise as oriented %i°, its corners turned with it',
    async (turn, orientation) => {
      const spec = symbolSpecs.find((s) => s.format === 'qr_code') ?? expect.unreachable('no qr_code spec');
      const upright = await renderSymbol(spec);
      const [before] = (await reader.read(upright, all)).barcodes;
      const turned = await sharp(upright).rotate(turn).png().toBuffer();
      const result = await reader.read(turned, all);
      expect(texts(result.barcodes)).toEqual([`qr_code:${spec.expected}`]);
      const [after] = result.barcodes;
      expect(before?.orientation).toBe(0);
      expect(after?.orientation).toBe(orientation);
      // Each corner of the upright symbol, turned about the image as sharp turned the pixels.
      const { width: w, height: h } = result;
      const turnPoint = ({ x, y }: { x: number; y: number }) =>
        turn === 90 ? { x: h - y, y: x } : turn === 180 ? { x: w - x, y: h - y } : { x: y, y: w - x };
      for (const corner of ['top_left', 'top_right', 'bottom_right', 'bottom_left'] as const) {
        const expected = turnPoint(before?.position[corner] ?? expect.unreachable('no upright symbol'));
        const found = after?.position[corner] ?? expect.unreachable('no turned symbol');
        expect(Math.abs(found.x - expected.x) + Math.abs(found.y - expected.y), corner).toBeLessThanOrEqual(
          2,
        );
      }
    },
  );

  const linearSpecs = symbolSpecs.filter((spec) => scanLineFormats.has(spec.format));
  describe.each(linearSpecs)('a $format symbol turned', (spec) => {
    it.each([
      [0, 0],
      [90, 90],
      [180, 180],
      [270, -90],
      [30, 30],
      [-30, -30],
    ])(
      'by %i° clockwise reads as oriented %i°, its top left corner where its reading starts',
      async (turn, orientation) => {
        const upright = await renderSymbol(spec);
        const [before] = (await reader.read(upright, all)).barcodes;
        const from = await sharp(upright).metadata();
        const turned = await sharp(upright).rotate(turn, { background: '#ffffff' }).png().toBuffer();
        const result = await reader.read(turned, all);
        expect(texts(result.barcodes)).toEqual([`${spec.format}:${spec.expected}`]);
        const [after] = result.barcodes;
        expect(before?.orientation).toBe(0);
        const off = (((after?.orientation ?? Number.NaN) - orientation + 540) % 360) - 180;
        expect(Math.abs(off), `orientation ${after?.orientation}`).toBeLessThanOrEqual(4);
        // The turned read's corners, turned back onto the upright image: they must read as the
        // upright read does, the start guard on the left and the top of the bars above.
        const { top_left, top_right, bottom_left } =
          after?.position ?? expect.unreachable('no turned symbol');
        const back = (p: { x: number; y: number }) => rotatePoint(p, -turn, result, from);
        const start = before?.position.top_left.x ?? expect.unreachable('no upright symbol');
        expect(Math.abs(back(top_left).x - start), JSON.stringify(after?.position)).toBeLessThanOrEqual(8);
        expect(back(top_right).x).toBeGreaterThan(back(top_left).x);
        expect(back(bottom_left).y).toBeGreaterThanOrEqual(back(top_left).y);
      },
    );
  });

  it('returns a binary payload as bytes as well', async () => {
    const png = await renderSymbol(
      { format: 'data_matrix', bcid: 'datamatrix', text: '^000^001^002^255^254^128', expected: '' },
      { parse: true },
    );
    const { barcodes } = await reader.read(png, all);
    expect(barcodes).toHaveLength(1);
    expect(barcodes[0]?.content_type).toBe('binary');
    expect(Buffer.from(barcodes[0]?.bytes_base64 ?? '', 'base64')).toEqual(
      Buffer.from([0, 1, 2, 255, 254, 128]),
    );
  });

  it('returns no symbol for photos and text pages without one', async () => {
    for (const file of [
      'images/dog.jpg',
      'images/astronaut.png',
      'ocr/invoice-clean.png',
      'ocr/page-a4.png',
    ]) {
      const { barcodes } = await reader.read(await fixture(file), all);
      expect(barcodes, file).toEqual([]);
    }
  });

  it('looks only for the formats asked for', async () => {
    const { barcodes } = await reader.read(await fixture('barcodes/photo-mixed.jpg'), {
      formats: ['qr_code'],
      maxSymbols: 16,
    });
    expect(texts(barcodes)).toEqual(['qr_code:https://example.com/t/ORD-2024-0917?c=42']);
  });
});

import { createCipheriv, createHash } from 'node:crypto';
import {
  type Color,
  concatTransformationMatrix,
  degrees,
  drawObject,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFPage,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  setFillingColor,
  StandardFonts,
} from 'pdf-lib';
import sharp from 'sharp';

// PDFs built here, byte for byte the same every run (fixed dates, ids and salts), so no binary is
// committed and every hostile case is one small function. Text is Helvetica 11 pt unless said.

/** A line of text at a position, in PDF points from the top left of the page (baseline at `y`). */
export interface PdfText {
  x: number;
  y: number;
  text: string;
  size?: number;
}

/** A new document with fixed dates and producer, so a fixture's bytes are the same every run. */
export async function newDocument(): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const fixed = new Date('2024-09-17T00:00:00Z');
  doc.setCreationDate(fixed);
  doc.setModificationDate(fixed);
  doc.setProducer('gantry test fixtures');
  return doc;
}

const save = (doc: PDFDocument, useObjectStreams = true): Promise<Uint8Array> =>
  doc.save({ useObjectStreams, updateFieldAppearances: false });

async function addTextPage(
  doc: PDFDocument,
  size: [number, number],
  texts: readonly PdfText[],
): Promise<void> {
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage(size);
  for (const { x, y, text, size: fontSize = 11 } of texts) {
    page.drawText(text, { x, y: size[1] - y, size: fontSize, font });
  }
}

/** One page per entry, each a text layer (A4). */
export async function textPdf(pages: readonly (readonly PdfText[])[]): Promise<Uint8Array> {
  const doc = await newDocument();
  for (const texts of pages) await addTextPage(doc, [595, 842], texts);
  return save(doc);
}

/** A page that is one image (a scan at `dpi`), no text layer. */
async function addScanPage(doc: PDFDocument, png: Uint8Array, dpi: number): Promise<void> {
  const image = await doc.embedPng(png);
  const width = (image.width * 72) / dpi;
  const height = (image.height * 72) / dpi;
  doc.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
}

export type MixedPage = { scan: Uint8Array; dpi?: number } | { text: readonly PdfText[] };

/** Pages in order: scans (PNG at `dpi`, default 300) and text-layer pages (A4). */
export async function mixedPdf(pages: readonly MixedPage[]): Promise<Uint8Array> {
  const doc = await newDocument();
  for (const page of pages) {
    if ('scan' in page) await addScanPage(doc, page.scan, page.dpi ?? 300);
    else await addTextPage(doc, [595, 842], page.text);
  }
  return save(doc);
}

/** The scan's pixels thresholded at mid-grey, one byte each: 0 for ink, 255 for paper. */
export async function inkPixels(scan: Uint8Array): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(scan)
    .greyscale()
    .threshold(128)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** 1 bit a pixel, rows padded to whole bytes, 1 for paper: an image mask paints where a sample is 0. */
async function maskBits(scan: Uint8Array): Promise<{ bits: Uint8Array; width: number; height: number }> {
  const { data, width, height } = await inkPixels(scan);
  const rowBytes = Math.ceil(width / 8);
  const bits = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * rowBytes + (x >> 3);
      if (data[y * width + x] !== 0) bits[at] = (bits[at] ?? 0) | (0x80 >> (x & 7));
    }
  }
  return { bits, width, height };
}

/**
 * A fax: the scan at 300 dpi as a 1-bit image mask (ink painted in the fill colour, no image of
 * its own: a PDF's image list would miss it), no text layer, in `bands` horizontal strips drawn
 * one after another, as fax software and some scanners write a page (pdf.js draws ten or more
 * such masks in a row as one group operation). The ink is the default black, or `ink`.
 */
export async function faxPdf(scan: Uint8Array, bands = 1, ink?: Color): Promise<Uint8Array> {
  const { bits, width, height } = await maskBits(scan);
  const rowBytes = Math.ceil(width / 8);
  const doc = await newDocument();
  const page = doc.addPage([(width * 72) / 300, (height * 72) / 300]);
  const bandRows = Math.ceil(height / bands);
  for (let band = 0; band * bandRows < height; band++) {
    const rows = Math.min(bandRows, height - band * bandRows);
    const strip = bits.subarray(band * bandRows * rowBytes, (band * bandRows + rows) * rowBytes);
    const mask = doc.context.flateStream(strip, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: width,
      Height: rows,
      ImageMask: true,
      BitsPerComponent: 1,
    });
    const name = `Fax${band}`;
    page.node.setXObject(PDFName.of(name), doc.context.register(mask));
    // Strips from the top down; PDF user space counts up from the bottom.
    const bottom = height - band * bandRows - rows;
    page.pushOperators(
      pushGraphicsState(),
      ...(ink ? [setFillingColor(ink)] : []),
      concatTransformationMatrix((width * 72) / 300, 0, 0, (rows * 72) / 300, 0, (bottom * 72) / 300),
      drawObject(name),
      popGraphicsState(),
    );
  }
  return save(doc);
}

/**
 * A black-and-white scan: the scan at 300 dpi as a 1-bit DeviceGray image (1 for paper), the form
 * a CCITT or JBIG2 scanner page decodes to, over the whole page, no text layer.
 */
export async function bitonalPdf(scan: Uint8Array): Promise<Uint8Array> {
  const { bits, width, height } = await maskBits(scan);
  const doc = await newDocument();
  drawBitonalScan(doc.addPage([(width * 72) / 300, (height * 72) / 300]), bits, width, height);
  return save(doc);
}

/**
 * 1-bit grey pixels (`bits`, rows padded to bytes; a set bit is white) as the page's one image, over
 * all of it: what a CCITT or JBIG2 scanner page decodes to.
 */
export function drawBitonalScan(page: PDFPage, bits: Uint8Array, width: number, height: number): void {
  const image = page.doc.context.flateStream(bits, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: width,
    Height: height,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 1,
  });
  page.node.setXObject(PDFName.of('Scan'), page.doc.context.register(image));
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(page.getWidth(), 0, 0, page.getHeight(), 0, 0),
    drawObject('Scan'),
    popGraphicsState(),
  );
}

/** A scan at 300 dpi on a page turned a quarter clockwise for display (`/Rotate 90`), as a sideways scan is stored. */
export async function rotatedScanPdf(scan: Uint8Array): Promise<Uint8Array> {
  const doc = await newDocument();
  await addScanPage(doc, scan, 300);
  doc.getPage(0).setRotation(degrees(90));
  return save(doc);
}

/**
 * An image written as twelve 16×16 grey tiles inline in the content stream, as some generators
 * write one: pdf.js draws ten or more small inline images in a row as one group operation, with
 * no single-image operator left. No text layer.
 */
export async function inlineTilesPdf(): Promise<Uint8Array> {
  const doc = await newDocument();
  const page = doc.addPage([595, 842]);
  const tile = Buffer.from(Array.from({ length: 16 * 16 }, (_, i) => (((i >> 2) + (i >> 6)) % 2) * 255));
  const tiles = Array.from({ length: 12 }, (_, i) => [
    Buffer.from(`q 24 0 0 24 ${40 + 24 * i} 400 cm BI /W 16 /H 16 /BPC 8 /CS /G ID `, 'latin1'),
    tile,
    Buffer.from(' EI Q\n', 'latin1'),
  ]);
  page.node.addContentStream(doc.context.register(doc.context.stream(Buffer.concat(tiles.flat()))));
  return save(doc);
}

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const aes256 = (key: Buffer, data: Buffer, mode: 'aes-256-cbc' | 'aes-256-ecb'): Buffer => {
  const cipher = createCipheriv(mode, key, mode === 'aes-256-cbc' ? Buffer.alloc(16) : null).setAutoPadding(
    false,
  );
  return Buffer.concat([cipher.update(data), cipher.final()]);
};

/**
 * Standard security handler revision 5 (AES-256, PDF 1.7 extension level 3) with a user and an
 * owner password. The crypt filters are Identity, so content stays readable to this builder; a
 * reader still has to pass the password check to open the file.
 */
function encrypt(doc: PDFDocument, userPassword: string, ownerPassword: string): void {
  const fileKey = sha256(bytes('gantry file key'));
  const [uValidation, uKey, oValidation, oKey] = ['uv', 'uk', 'ov', 'ok'].map((s) =>
    sha256(bytes(s)).subarray(0, 8),
  ) as [Buffer, Buffer, Buffer, Buffer];
  const u = Buffer.concat([sha256(bytes(userPassword), uValidation), uValidation, uKey]);
  const o = Buffer.concat([sha256(bytes(ownerPassword), oValidation, u), oValidation, oKey]);
  const permissions = -3904; // printing and copying not allowed
  const perms = Buffer.alloc(16);
  perms.writeInt32LE(permissions, 0);
  perms.writeUInt32LE(0xffffffff, 4);
  perms.write('Tadb', 8, 'ascii');
  const { context } = doc;
  const hex = (value: Buffer) => PDFHexString.of(value.toString('hex'));
  const dict = context.obj({
    Filter: 'Standard',
    V: 5,
    R: 5,
    Length: 256,
    CF: { StdCF: { CFM: 'AESV3', AuthEvent: 'DocOpen', Length: 32 } },
    StmF: 'Identity',
    StrF: 'Identity',
    P: PDFNumber.of(permissions),
  });
  dict.set(PDFName.of('U'), hex(u));
  dict.set(PDFName.of('O'), hex(o));
  dict.set(PDFName.of('UE'), hex(aes256(sha256(bytes(userPassword), uKey), fileKey, 'aes-256-cbc')));
  dict.set(PDFName.of('OE'), hex(aes256(sha256(bytes(ownerPassword), oKey, u), fileKey, 'aes-256-cbc')));
  dict.set(PDFName.of('Perms'), hex(aes256(fileKey, perms, 'aes-256-ecb')));
  context.trailerInfo.Encrypt = context.register(dict);
}

const oneLine: readonly PdfText[] = [{ x: 72, y: 100, text: 'Confidential quarterly figures for the board' }];

/** Opens only with a password: PDF_ENCRYPTED. */
export async function userPasswordPdf(): Promise<Uint8Array> {
  const doc = await newDocument();
  await addTextPage(doc, [595, 842], oneLine);
  encrypt(doc, 'open sesame', 'owner secret');
  return save(doc);
}

/** Opens without a password (only printing and copying are restricted): readable. */
export async function ownerPasswordPdf(): Promise<Uint8Array> {
  const doc = await newDocument();
  await addTextPage(doc, [595, 842], oneLine);
  encrypt(doc, '', 'owner secret');
  return save(doc);
}

/** Scripts on open and on a page: never run, the text is read. */
export async function javascriptPdf(): Promise<Uint8Array> {
  const doc = await newDocument();
  await addTextPage(doc, [595, 842], oneLine);
  const { context, catalog } = doc;
  const script = (code: string) => context.obj({ S: 'JavaScript', JS: PDFString.of(code) });
  catalog.set(PDFName.of('OpenAction'), script('while (true) { app.alert("hello"); }'));
  doc
    .getPage(0)
    .node.set(PDFName.of('AA'), context.obj({ O: script('this.submitForm("http://127.0.0.1:9/")') }));
  return save(doc);
}

/** `count` short text pages, "Page n" on each. */
export const manyPagesPdf = (count: number): Promise<Uint8Array> =>
  textPdf(
    Array.from({ length: count }, (_, i) => [{ x: 72, y: 100, text: `Page ${i + 1} of the long report` }]),
  );

/** A scan on a 100 000 pt (35 m) square page: rendering must stay within the pixel limit. */
export async function hugeMediaBoxPdf(scan: Uint8Array): Promise<Uint8Array> {
  const doc = await newDocument();
  const image = await doc.embedPng(scan);
  doc.addPage([100_000, 100_000]).drawImage(image, { x: 0, y: 100_000 - 200, width: 500, height: 200 });
  return save(doc);
}

/** The first `fraction` of a text PDF: no cross-reference section, objects cut off. */
export async function truncatedPdf(fraction = 0.5): Promise<Uint8Array> {
  const whole = await manyPagesPdf(3);
  return whole.subarray(0, Math.floor(whole.length * fraction));
}

/** A page tree whose root lists itself among its kids. */
export async function pageTreeCyclePdf(): Promise<Uint8Array> {
  const doc = await newDocument();
  await addTextPage(doc, [595, 842], oneLine);
  const pages = doc.catalog.Pages();
  pages.Kids().push(doc.catalog.get(PDFName.of('Pages')) as never);
  pages.set(PDFName.of('Count'), PDFNumber.of(2));
  return save(doc);
}

/** A classic cross-reference table whose every offset is wrong: readers rebuild it by scanning. */
export async function brokenXrefPdf(): Promise<Uint8Array> {
  const doc = await newDocument();
  await addTextPage(doc, [595, 842], oneLine);
  const text = Buffer.from(await save(doc, false)).toString('latin1');
  const broken = text.replace(/^(\d{10}) (\d{5}) n/gm, (_, offset: string, generation: string) => {
    const wrong = (Number(offset) + 7).toString().padStart(10, '0');
    return `${wrong} ${generation} n`;
  });
  return Buffer.from(broken, 'latin1');
}

/** The text of `oneLine`, for checks. */
export const oneLineText = oneLine.map((line) => line.text).join('\n');

import {
  degrees,
  drawObject,
  PDFName,
  setTextRenderingMode,
  StandardFonts,
  TextRenderingMode,
} from 'pdf-lib';
import { drawBitonalScan, inkPixels, newDocument } from './pdf-fixtures.js';

// PDFs whose pages mix what decides how a page is read (a text layer, images, paths), and PDFs
// that pdf.js alone would misread; built with pdf-lib, the same bytes every run, nothing committed.

/** Text on a scan: a visible stamp, or an invisible OCR layer (what a searchable PDF carries). */
export interface ScanText {
  lines: readonly string[];
  /** Font size in points; 7 unless said. */
  size?: number;
  invisible?: boolean;
}

/**
 * One page: the scan (PNG, 300 dpi) over all of it, and text lines written on it from the top left,
 * Helvetica. A stamp is "Scanned with CamScanner", a fax header, a Bates number; a full invisible
 * layer of the scan's own lines is a searchable scan.
 */
export async function scanWithTextPdf(scan: Uint8Array, text: ScanText): Promise<Uint8Array> {
  const doc = await newDocument();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const image = await doc.embedPng(scan);
  const width = (image.width * 72) / 300;
  const height = (image.height * 72) / 300;
  const page = doc.addPage([width, height]);
  page.drawImage(image, { x: 0, y: 0, width, height });
  if (text.invisible) page.pushOperators(setTextRenderingMode(TextRenderingMode.Invisible));
  const size = text.size ?? 7;
  text.lines.forEach((line, i) => {
    page.drawText(line, { x: 4, y: height - (i + 1) * size * 1.2, size, font });
  });
  return doc.save({ updateFieldAppearances: false });
}

/** A photo (PNG) on an A4 page of text lines, 11 pt: a digital page, read from its text layer. */
export async function textWithPhotoPdf(lines: readonly string[], photo: Uint8Array): Promise<Uint8Array> {
  const doc = await newDocument();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  lines.forEach((line, i) => page.drawText(line, { x: 72, y: 770 - 14 * i, size: 11, font }));
  const image = await doc.embedPng(photo);
  page.drawImage(image, { x: 72, y: 72, width: 300, height: (300 * image.height) / image.width });
  return doc.save({ updateFieldAppearances: false });
}

/**
 * The scan's ink (PNG, 300 dpi, thresholded) drawn as filled rectangles, one per run of dark pixels
 * in a row: text as vector outlines, as a PDF with fonts converted to paths has it. No text, no image.
 */
export async function outlinedTextPdf(scan: Uint8Array): Promise<Uint8Array> {
  const { data, width, height } = await inkPixels(scan);
  const pt = 72 / 300;
  const rects: string[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] !== 0) continue;
      const start = x;
      while (x < width && data[y * width + x] === 0) x++;
      rects.push(`${start * pt} ${(height - y - 1) * pt} ${(x - start) * pt} ${pt} re`);
    }
  }
  const doc = await newDocument();
  const page = doc.addPage([width * pt, height * pt]);
  const content = Buffer.from(`0 g\n${rects.join('\n')}\nf\n`, 'latin1');
  page.node.addContentStream(doc.context.register(doc.context.flateStream(content)));
  return doc.save({ updateFieldAppearances: false });
}

/**
 * A scan drawn over an A4 page by a form XObject whose `/Matrix` scales it by `scale`, as
 * imposition and stamping tools draw one: the image covers `scale²` of the page. No text layer.
 */
export async function formScanPdf(scan: Uint8Array, scale: number): Promise<Uint8Array> {
  const doc = await newDocument();
  const page = doc.addPage([595, 842]);
  const image = await doc.embedPng(scan);
  const form = doc.context.stream('q 595 0 0 842 0 0 cm /Scan Do Q', {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, 595, 842],
    Matrix: [scale, 0, 0, scale, 0, 0],
    Resources: { XObject: { Scan: image.ref } },
  });
  page.node.setXObject(PDFName.of('Form'), doc.context.register(form));
  page.pushOperators(drawObject('Form'));
  return doc.save({ updateFieldAppearances: false });
}

/** A page tree with no kids and `/Count 0`: pdf-lib would add a blank page unless told not to. */
export async function noPagesPdf(): Promise<Uint8Array> {
  const doc = await newDocument();
  return doc.save({ addDefaultPage: false, updateFieldAppearances: false });
}

/**
 * A `width × height` 1-bit white image over an A4 page, as a scanner writes a page: small as a
 * file (Flate of zeros), as many pixels as its size says.
 */
export async function largeScanPdf(
  width: number,
  height: number,
  text: readonly string[] = [],
): Promise<Uint8Array> {
  const doc = await newDocument();
  const page = doc.addPage([595, 842]);
  // A digital page's own text beside the image, in lines of 11 pt Helvetica from the top.
  const font = await doc.embedFont(StandardFonts.Helvetica);
  text.forEach((line, i) => page.drawText(line, { x: 50, y: 800 - i * 16, size: 11, font }));
  drawBitonalScan(page, new Uint8Array(Math.ceil(width / 8) * height).fill(0xff), width, height);
  return doc.save({ updateFieldAppearances: false });
}

/**
 * Lines of text on an A4 page that stands sideways on its display: drawn upright under `/Rotate 90`
 * (`page`), or drawn turned a quarter anticlockwise on an upright page (`text`), as a landscape table
 * is printed on a portrait page.
 */
export async function sidewaysTextPdf(
  lines: readonly string[],
  turned: 'page' | 'text',
): Promise<Uint8Array> {
  const doc = await newDocument();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  lines.forEach((line, i) =>
    turned === 'page'
      ? page.drawText(line, { x: 72, y: 770 - 16 * i, size: 11, font })
      : page.drawText(line, { x: 100 + 16 * i, y: 72, size: 11, font, rotate: degrees(90) }),
  );
  if (turned === 'page') page.setRotation(degrees(90));
  return doc.save({ updateFieldAppearances: false });
}

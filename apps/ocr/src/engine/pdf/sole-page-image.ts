import sharp from 'sharp';
import type { GreyImage, Size } from '../grey-image.js';
import type { PageOperators } from './page-operators.js';
import { OPS, type PDFPageProxy, type PageViewport, Util } from './pdfjs.js';

type Matrix = [number, number, number, number, number, number];

// pdf.js's ImageKind: 1-bit grey (a set bit is white) and 8-bit RGB, what scans decode to.
const grey1bpp = 1;
const rgb24bpp = 2;

interface DecodedImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array;
}

const isDecodedImage = (value: unknown): value is DecodedImage =>
  typeof value === 'object' &&
  value !== null &&
  'data' in value &&
  value.data instanceof Uint8Array &&
  'kind' in value &&
  (value.kind === grey1bpp || value.kind === rgb24bpp) &&
  'width' in value &&
  'height' in value;

/** An image mask as pdf.js hands it to the canvas: its bits inline, or the id of an object holding them. */
interface ImageMask {
  width: number;
  height: number;
  data: Uint8Array | string;
}

const isImageMask = (value: unknown): value is ImageMask =>
  typeof value === 'object' &&
  value !== null &&
  'data' in value &&
  (value.data instanceof Uint8Array || typeof value.data === 'string') &&
  'width' in value &&
  typeof value.width === 'number' &&
  'height' in value &&
  typeof value.height === 'number';

/** The one thing a scanner's page paints: an image (by its object id), or an image mask (a fax). */
type Painted = { image: string } | { mask: ImageMask };

/**
 * Where the page is one image or image mask and nothing else (a scanner's or a fax's page: save,
 * transforms, the image, restore; a mask in the default black, as no colour operator is allowed),
 * what it paints and where it lands on the canvas; null for any other page.
 */
function soleImage(
  operators: PageOperators,
  viewport: PageViewport,
): { painted: Painted; at: Matrix } | null {
  const stack: Matrix[] = [];
  let ctm = viewport.transform as Matrix;
  let sole: { painted: Painted; at: Matrix } | null = null;
  for (const [index, op] of operators.fnArray.entries()) {
    const args: unknown = operators.argsArray[index];
    const [first] = Array.isArray(args) ? (args as unknown[]) : [];
    if (op === OPS.save) stack.push(ctm);
    else if (op === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (op === OPS.transform) ctm = Util.transform(ctm, args as Matrix) as Matrix;
    else if (op === OPS.paintImageXObject && !sole && typeof first === 'string') {
      sole = { painted: { image: first }, at: ctm };
    } else if (op === OPS.paintImageMaskXObject && !sole && isImageMask(first)) {
      sole = { painted: { mask: first }, at: ctm };
    } else if (op !== OPS.dependency) return null;
  }
  return sole;
}

/**
 * Whether the unit square under `at` is the whole canvas, upright (the image's first row at the
 * top), to a hundredth of a pixel: where the canvas would draw the image shifted or scaled by any
 * visible amount, it must be drawn.
 */
function coversUpright([a, b, c, d, e, f]: Matrix, { width, height }: Size): boolean {
  const near = (x: number, y: number) => Math.abs(x - y) <= 0.01;
  return (
    b === 0 &&
    c === 0 &&
    a > 0 &&
    d < 0 &&
    near(e, 0) &&
    near(e + a, width) &&
    near(f + d, 0) &&
    near(f, height)
  );
}

function decoded(page: PDFPageProxy, id: string): Promise<unknown> {
  // Images used by several pages are the document's, the others the page's (pdf.js names them g_…).
  const objects = id.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => objects.get(id, resolve));
}

/**
 * What the page paints, decoded: an image as pdf.js decoded it, a mask as 1-bit grey (pdf.js's mask
 * bits are set where the paper shows, as a 1-bit image's are); null for any other kind (alpha).
 */
async function paintedPixels(page: PDFPageProxy, painted: Painted): Promise<DecodedImage | null> {
  if ('image' in painted) {
    const image = await decoded(page, painted.image);
    return isDecodedImage(image) ? image : null;
  }
  const { mask } = painted;
  const bits = typeof mask.data === 'string' ? await decoded(page, mask.data) : mask;
  return isImageMask(bits) && bits.data instanceof Uint8Array
    ? { kind: grey1bpp, width: mask.width, height: mask.height, data: bits.data }
    : null;
}

/**
 * The page's grey pixels straight from what it paints, where the page is one image or image mask
 * and nothing else, drawn upright over all of it at `size`, as a scanner or a fax writes pages: no
 * canvas, no RGBA copy, the same pixels (CPU per page: apps/ocr/README.md). Null where the page must
 * be rendered: other operators, a turned, partial or resized image, alpha.
 *
 * `operators` is the list pageOperators built, its images already decoded.
 */
export async function solePageImage(
  page: PDFPageProxy,
  operators: PageOperators,
  viewport: PageViewport,
  size: Size,
): Promise<GreyImage | null> {
  const sole = soleImage(operators, viewport);
  if (!sole || !coversUpright(sole.at, size)) return null;
  const image = await paintedPixels(page, sole.painted);
  // Only where the image has the canvas's size (a 300 dpi scan at the default pdfDpi): the pixels
  // are then the render's, byte for byte; a resize would not draw them as the canvas does.
  if (!image || image.width !== size.width || image.height !== size.height) return null;
  const { width, height } = image;
  if (image.kind === grey1bpp) return { data: bitsToGrey(image.data, width, height), width, height };
  const { data, info } = await sharp(image.data, {
    raw: { width, height, channels: 3 },
    limitInputPixels: false,
  })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** 1-bit rows (each padded to a byte, a set bit white) as 8-bit grey. */
function bitsToGrey(bits: Uint8Array, width: number, height: number): Buffer {
  const grey = Buffer.alloc(width * height);
  const stride = (width + 7) >> 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((bits[y * stride + (x >> 3)] ?? 0) & (128 >> (x & 7))) grey[y * width + x] = 255;
    }
  }
  return grey;
}

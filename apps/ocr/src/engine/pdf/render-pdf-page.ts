import { createCanvas } from '@napi-rs/canvas';
import type { PDFPageProxy } from './pdfjs.js';
import sharp from 'sharp';
import { type GreyImage, toGreyImage } from '../grey-image.js';
import type { PageOperators } from './page-operators.js';
import { solePageImage } from './sole-page-image.js';

export interface RenderedPage {
  image: GreyImage;
  /** The resolution it was rendered at: the asked one, or less where the pixel limit capped it. */
  dpi: number;
}

/**
 * Rasterises a page for recognition, in 8-bit grey, at `dpi`, or at the highest resolution within
 * `maxPixels` (a huge media box must not become a huge canvas). White paper under the page, as a
 * scan has. A page that is one upright image over all of it (`operators`, where the caller has
 * them) is read from that image, the same pixels without a canvas (solePageImage).
 */
export async function renderPdfPage(
  page: PDFPageProxy,
  dpi: number,
  maxPixels: number,
  operators?: PageOperators,
): Promise<RenderedPage> {
  const points = page.getViewport({ scale: 1 });
  const wanted = dpi / 72;
  const cap = Math.sqrt(maxPixels / Math.max(1, points.width * points.height));
  const scale = Math.min(wanted, cap);
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  const rendered = { dpi: Math.round(scale * 72 * 100) / 100 };
  const image = operators && (await solePageImage(page, operators, viewport, { width, height }));
  if (image) return { image, ...rendered };
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  // pdf.js's default intent and annotation mode, as pageOperators's render: this one then draws
  // from the operator list (and the decoded images) that one built.
  await page.render({
    canvas: canvas as never,
    canvasContext: context as never,
    viewport,
    background: 'white',
  }).promise;
  const { data } = context.getImageData(0, 0, width, height);
  // Our own canvas, already within maxPixels: sharp's default input limit must not apply again.
  const rgba = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
    raw: { width, height, channels: 4 },
    limitInputPixels: false,
  }).removeAlpha();
  return { image: await toGreyImage(rgba), ...rendered };
}

import { openImagePages } from '@gantry/image-input';
import type { DocumentPages } from './document-pages.js';

/** An image file as a document: every page of a TIFF, every frame of an animation, else one page. */
export async function openImageDocument(
  bytes: Buffer,
  limits: { maxPixels: number; maxPages: number },
): Promise<DocumentPages> {
  const image = await openImagePages(bytes, { ...limits, framesArePages: true });
  return {
    count: image.count,
    async read(number) {
      return { kind: 'pixels', image: await image.greyPage(number - 1), dpi: null };
    },
    close: () => Promise.resolve(),
  };
}

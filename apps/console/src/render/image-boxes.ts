import { s } from '../dom.js';

export interface LabelledBox {
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
}

export interface ImageBoxes {
  /** The image's size as the boxes measure it (as shown, after EXIF orientation). */
  width: number;
  height: number;
  boxes: LabelledBox[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

interface OcrBoxShape {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The boxes a job's output places on its input image: objects of `vision.detect`, text lines of the
 * first page of `ocr.extract`. Null for any other type, or an output without them.
 */
export function boxesOf(type: string, output: unknown): ImageBoxes | null {
  if (!isRecord(output)) return null;
  if (type === 'vision.detect' && Array.isArray(output['objects'])) {
    const objects = output['objects'] as { label: string; score: number; box: Omit<LabelledBox, 'label'> }[];
    return {
      width: Number(output['width']),
      height: Number(output['height']),
      boxes: objects.map((o) => ({ ...o.box, label: `${o.label} ${Math.round(o.score * 100)}%` })),
    };
  }
  if (type === 'ocr.extract' && Array.isArray(output['pages'])) {
    const page = output['pages'][0] as
      | { width: number; height: number; blocks: { lines: { text: string; bbox: OcrBoxShape }[] }[] }
      | undefined;
    if (!page) return null;
    const lines = page.blocks.flatMap((block) => block.lines);
    return {
      width: page.width,
      height: page.height,
      boxes: lines.map(({ text, bbox }) => ({
        x: bbox.x0,
        y: bbox.y0,
        width: bbox.x1 - bbox.x0,
        height: bbox.y1 - bbox.y0,
        label: text,
      })),
    };
  }
  return null;
}

/**
 * The image with its boxes drawn over it, in one SVG whose viewBox is the image's own pixels: the boxes
 * stay on their objects at any displayed size. Each box has a title, so hovering (or a screen reader)
 * names it.
 */
export function imageWithBoxes(imageUrl: string, found: ImageBoxes, description: string): SVGSVGElement {
  return s(
    'svg',
    {
      class: 'boxes',
      viewBox: `0 0 ${found.width} ${found.height}`,
      role: 'img',
      'aria-label': description,
    },
    s('image', { href: imageUrl, x: 0, y: 0, width: found.width, height: found.height }),
    found.boxes.map((box) =>
      s(
        'rect',
        { x: box.x, y: box.y, width: box.width, height: box.height, class: 'box' },
        s('title', {}, box.label),
      ),
    ),
  );
}

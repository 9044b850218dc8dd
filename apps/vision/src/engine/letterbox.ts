import type { Sharp } from 'sharp';
import { yoloxNano } from './yolox-nano.js';

export interface Letterboxed {
  /** `[1, 3, size, size]` float32, planes in B, G, R order, raw 0–255 values. */
  tensor: Float32Array;
  /** Model pixels per image pixel: divide model coordinates by it to get image coordinates. */
  ratio: number;
}

/**
 * Scales the image to fit the model's square input, keeping its aspect ratio, and places it at the
 * top left on a grey pad — so that model coordinates map back with a single division.
 */
export async function letterbox(
  image: Sharp,
  width: number,
  height: number,
  size: number = yoloxNano.inputSize,
): Promise<Letterboxed> {
  const ratio = Math.min(size / width, size / height);
  const scaledWidth = Math.max(1, Math.round(width * ratio));
  const scaledHeight = Math.max(1, Math.round(height * ratio));
  const pad = yoloxNano.padValue;
  const { data } = await image
    .resize(scaledWidth, scaledHeight, { fit: 'fill', kernel: 'linear' })
    .extend({
      right: size - scaledWidth,
      bottom: size - scaledHeight,
      background: { r: pad, g: pad, b: pad },
    })
    .raw()
    .toBuffer({ resolveWithObject: true });

  // HWC RGB bytes → CHW BGR floats: YOLOX was trained on OpenCV images.
  const plane = size * size;
  const tensor = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    tensor[i] = data[i * 3 + 2] ?? pad;
    tensor[plane + i] = data[i * 3 + 1] ?? pad;
    tensor[2 * plane + i] = data[i * 3] ?? pad;
  }
  return { tensor, ratio };
}

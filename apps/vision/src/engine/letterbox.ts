import { yoloxNano } from './yolox-nano.js';

export interface LetterboxFit {
  /** Model pixels per image pixel: divide model coordinates by it to get image coordinates. */
  ratio: number;
  /** Size of the scaled image inside the square. */
  width: number;
  height: number;
}

/**
 * Where an image goes in the model's square input: scaled to fit, aspect ratio kept, at the top left
 * of a grey pad — so that model coordinates map back with a single division.
 */
export function letterboxFit(
  width: number,
  height: number,
  size: number = yoloxNano.inputSize,
): LetterboxFit {
  const ratio = Math.min(size / width, size / height);
  return {
    ratio,
    width: Math.max(1, Math.round(width * ratio)),
    height: Math.max(1, Math.round(height * ratio)),
  };
}

/**
 * Writes the model's input for one image into `tensor`, its `[3, size, size]` slot of a batch, from
 * the scaled image's bytes (`fit.width × fit.height`, RGB first in each pixel): planes in B, G, R
 * order (YOLOX was trained on OpenCV images), raw 0–255 values, grey 114 around the image as in
 * YOLOX's own preprocessing. Every value of the slot is written once (the slot may hold an earlier
 * batch's image), so a reused buffer needs no clearing.
 */
export function letterboxInto(
  tensor: Float32Array,
  pixels: Uint8Array,
  channels: number,
  fit: Pick<LetterboxFit, 'width' | 'height'>,
  size: number = yoloxNano.inputSize,
): void {
  const pad = yoloxNano.padValue;
  const plane = size * size;
  const blue = tensor.subarray(0, plane);
  const green = tensor.subarray(plane, 2 * plane);
  const red = tensor.subarray(2 * plane, 3 * plane);
  const { width, height } = fit;
  if (pixels.length < width * height * channels) {
    throw new RangeError(`${width}×${height}×${channels} pixels expected, ${pixels.length} bytes given`);
  }
  for (let y = 0; y < height; y++) {
    const row = y * size;
    let from = y * width * channels;
    for (let to = row, end = row + width; to < end; to++, from += channels) {
      red[to] = pixels[from] as number;
      green[to] = pixels[from + 1] as number;
      blue[to] = pixels[from + 2] as number;
    }
    blue.fill(pad, row + width, row + size);
    green.fill(pad, row + width, row + size);
    red.fill(pad, row + width, row + size);
  }
  blue.fill(pad, height * size);
  green.fill(pad, height * size);
  red.fill(pad, height * size);
}

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
 * The model's input from the scaled image's bytes (`fit.width × fit.height`, RGB first in each pixel):
 * `[3, size, size]` float32, planes in B, G, R order (YOLOX was trained on OpenCV images), raw 0–255
 * values, grey 114 around the image as in YOLOX's own preprocessing. One pass over the pixels.
 */
export function letterboxTensor(
  pixels: Uint8Array,
  channels: number,
  fit: Pick<LetterboxFit, 'width' | 'height'>,
  size: number = yoloxNano.inputSize,
): Float32Array {
  const pad = yoloxNano.padValue;
  const plane = size * size;
  const tensor = new Float32Array(3 * plane).fill(pad);
  for (let y = 0; y < fit.height; y++) {
    let from = y * fit.width * channels;
    for (let to = y * size, end = to + fit.width; to < end; to++, from += channels) {
      tensor[to] = pixels[from + 2] ?? pad;
      tensor[plane + to] = pixels[from + 1] ?? pad;
      tensor[2 * plane + to] = pixels[from] ?? pad;
    }
  }
  return tensor;
}

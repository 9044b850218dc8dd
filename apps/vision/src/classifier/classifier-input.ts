import type { Sharp } from 'sharp';
import type { ClassifierManifest } from './classifier-manifest.js';

/**
 * One image as the classifier's manifest asks for it: resized (stretched, or the short side scaled
 * and the middle cropped), in its colour order and layout, `(value / scale − mean) / std` per channel.
 * Returns the `C·H·W` floats of one batch row.
 */
export async function classifierInput(
  image: Sharp,
  input: ClassifierManifest['input'],
): Promise<Float32Array> {
  const { width, height } = input;
  const { data } = await image
    .removeAlpha()
    .resize(width, height, { fit: input.resize === 'stretch' ? 'fill' : 'cover', position: 'centre' })
    .raw()
    .toBuffer({ resolveWithObject: true });

  const plane = width * height;
  const tensor = new Float32Array(3 * plane);
  // Source channel (R, G, B) feeding each model channel.
  const order = input.colour_order === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c++) {
    const source = order[c] ?? c;
    const mean = input.mean[source] ?? 0;
    const std = input.std[source] ?? 1;
    for (let i = 0; i < plane; i++) {
      const value = ((data[i * 3 + source] ?? 0) / input.scale - mean) / std;
      tensor[input.layout === 'NCHW' ? c * plane + i : i * 3 + c] = value;
    }
  }
  return tensor;
}

import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { classifierInput } from './classifier-input.js';
import type { ClassifierManifest } from './classifier-manifest.js';

type Input = ClassifierManifest['input'];
const imagenet: Input = {
  width: 2,
  height: 2,
  layout: 'NCHW',
  colour_order: 'RGB',
  resize: 'stretch',
  scale: 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

const solid = (r: number, g: number, b: number) =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: { r, g, b } } }).png();

/** 30×10: red, green and blue thirds, left to right. */
const thirds = () =>
  sharp({ create: { width: 30, height: 10, channels: 3, background: '#000' } })
    .composite(
      ['#ff0000', '#00ff00', '#0000ff'].map((colour, i) => ({
        input: { create: { width: 10, height: 10, channels: 3, background: colour } },
        left: i * 10,
        top: 0,
      })),
    )
    .png();

const decoded = async (image: Sharp) => sharp(await image.toBuffer());

/** An 8-bit channel value as the model gets it: scaled to 0–1, then ImageNet's mean and std of channel `c` (R, G, B). */
function normalised(value: number, c: number): number {
  const [mean, std] = [imagenet.mean[c], imagenet.std[c]];
  if (mean === undefined || std === undefined) throw new Error(`ImageNet has no channel ${c}`);
  return (value / 255 - mean) / std;
}

describe('classifierInput', () => {
  it('scales, then takes mean and std per channel (given in R, G, B order), plane by plane for NCHW', async () => {
    const tensor = await classifierInput(await decoded(solid(255, 128, 0)), imagenet);
    expect(tensor).toHaveLength(12);
    [255, 128, 0].forEach((channel, c) => {
      for (const value of tensor.subarray(c * 4, c * 4 + 4))
        expect(value).toBeCloseTo(normalised(channel, c), 5);
    });
  });

  it('feeds BGR models blue first, interleaved for NHWC, each channel with its own mean and std', async () => {
    const tensor = await classifierInput(await decoded(solid(255, 128, 0)), {
      ...imagenet,
      layout: 'NHWC',
      colour_order: 'BGR',
    });
    const [r, g, b] = [normalised(255, 0), normalised(128, 1), normalised(0, 2)];
    for (let pixel = 0; pixel < 4; pixel++) {
      expect(tensor[pixel * 3]).toBeCloseTo(b, 5);
      expect(tensor[pixel * 3 + 1]).toBeCloseTo(g, 5);
      expect(tensor[pixel * 3 + 2]).toBeCloseTo(r, 5);
    }
  });

  it('passes raw values through with scale 1 and no mean or std', async () => {
    const tensor = await classifierInput(await decoded(solid(10, 20, 30)), {
      ...imagenet,
      scale: 1,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    });
    expect([tensor[0], tensor[4], tensor[8]]).toEqual([10, 20, 30]);
  });

  it('stretches the whole image, or crops its middle after scaling the short side', async () => {
    const raw = { ...imagenet, scale: 1, mean: [0, 0, 0], std: [1, 1, 1] } satisfies Input;
    // NCHW planes of 2×2. Stretched, each column is half the image: red (and a little green) on the
    // left, blue on the right. Cropped, the middle third is all there is: green.
    const stretched = await classifierInput(await decoded(thirds()), raw);
    expect([stretched[0], stretched[2]].every((red) => red !== undefined && red > 150)).toBe(true);
    expect([stretched[1], stretched[3]].every((red) => red !== undefined && red < 10)).toBe(true);
    expect([stretched[9], stretched[11]].every((blue) => blue !== undefined && blue > 150)).toBe(true);
    const cropped = await classifierInput(await decoded(thirds()), { ...raw, resize: 'center_crop' });
    // (The resampling kernel bleeds a little of the neighbouring thirds into the edge columns.)
    expect([...cropped.subarray(0, 4)].every((red) => red < 32)).toBe(true);
    expect([...cropped.subarray(4, 8)].every((green) => green > 230)).toBe(true);
    expect([...cropped.subarray(8, 12)].every((blue) => blue < 32)).toBe(true);
  });
});

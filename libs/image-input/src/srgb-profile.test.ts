import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openImageScaled } from './open-image-scaled.js';
import { isSrgbProfile } from './srgb-profile.js';

// Real profiles, as libvips embeds them; nothing is mocked.

const W = 40;
const H = 30;

/** A colourful JPEG (a gradient, so a colour transform has something to change) tagged with `profile`. */
async function taggedJpeg(profile: string): Promise<Buffer> {
  const pixels = Buffer.alloc(W * H * 3);
  for (let i = 0; i < W * H; i++) pixels.set([(i * 7) % 256, (i * 3) % 256, 255 - ((i * 5) % 256)], i * 3);
  return sharp(pixels, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 95 })
    .withIccProfile(profile)
    .toBuffer();
}

async function embeddedProfile(profile: string): Promise<Buffer> {
  const { icc } = await sharp(await taggedJpeg(profile)).metadata();
  if (!icc) throw new Error(`no ${profile} profile was embedded`);
  return icc;
}

/** The offset of a tag's data in a profile. */
function tagOffset(icc: Buffer, signature: string): number {
  for (let i = 0; i < icc.readUInt32BE(128); i++) {
    const entry = 132 + i * 12;
    if (icc.toString('latin1', entry, entry + 4) === signature) return icc.readUInt32BE(entry + 4);
  }
  throw new Error(`no ${signature} tag`);
}

const halfSize = {
  size: (width: number, height: number) => ({ width: width / 2, height: height / 2 }),
  kernel: 'linear' as const,
};

describe('isSrgbProfile', () => {
  it('knows sRGB, and nothing that only looks like it', async () => {
    const srgb = await embeddedProfile('srgb');
    expect(isSrgbProfile(srgb)).toBe(true);
    // Display P3: sRGB's curves, wider colourants.
    expect(isSrgbProfile(await embeddedProfile('p3'))).toBe(false);
    expect(isSrgbProfile(await embeddedProfile('cmyk'))).toBe(false);
    expect(isSrgbProfile(undefined)).toBe(false);
    expect(isSrgbProfile(srgb.subarray(0, 200))).toBe(false);

    // sRGB's colourants with a linear red curve (parametric type 0, gamma 1.0) is not sRGB.
    const linearRed = Buffer.from(srgb);
    const curve = tagOffset(linearRed, 'rTRC');
    linearRed.write('para', curve, 'latin1');
    linearRed.writeUInt16BE(0, curve + 8);
    linearRed.writeInt32BE(65_536, curve + 12);
    // libvips' profile shares one curve between the three channels; red alone is enough to refuse.
    expect(isSrgbProfile(linearRed)).toBe(false);
  });

  it('lets the decoder skip an sRGB profile without changing a pixel, and still applies any other', async () => {
    for (const profile of ['srgb', 'p3']) {
      const jpeg = await taggedJpeg(profile);
      const converted = await sharp(jpeg)
        .resize(W / 2, H / 2, { fit: 'fill', kernel: 'linear' })
        .raw()
        .toBuffer();
      const page = await openImageScaled(jpeg, { maxPixels: W * H, ...halfSize });
      expect(page.pixels).toEqual(converted);
    }
    // The P3 case above is a real test: ignoring that profile would have given other pixels.
    const p3 = await taggedJpeg('p3');
    const ignored = await sharp(p3, { ignoreIcc: true })
      .resize(W / 2, H / 2, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    expect((await openImageScaled(p3, { maxPixels: W * H, ...halfSize })).pixels).not.toEqual(ignored);
  });
});

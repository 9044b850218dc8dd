import sharp from 'sharp';

export interface ImageVariant {
  name: string;
  filename: string;
  bytes: Buffer;
}

/**
 * The base image in the encodings that trip up naive decoders; each one, decoded and turned upright,
 * shows the same picture at the same size. `alpha: 'ink'` puts the picture into the alpha channel over
 * transparent black (dark text on white becomes opaque text on nothing), `'opaque'` adds a solid one.
 */
export async function imageVariants(base: Buffer, alpha: 'ink' | 'opaque'): Promise<ImageVariant[]> {
  const { width, height } = await sharp(base).metadata();
  const rgb = () => sharp(base).removeAlpha().toColourspace('srgb');
  const blank = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  const basePng = await rgb().png().toBuffer();
  const rgba = alpha === 'opaque' ? await rgb().ensureAlpha(1).png().toBuffer() : await inkAsAlpha(base);
  return [
    {
      // Stored turned a quarter to the left; EXIF orientation 6 says "turn right to show".
      name: 'JPEG with EXIF orientation 6',
      filename: 'rotated.jpg',
      bytes: await rgb().rotate(270).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer(),
    },
    {
      name: 'CMYK JPEG',
      filename: 'cmyk.jpg',
      bytes: await rgb().toColourspace('cmyk').jpeg({ quality: 92 }).toBuffer(),
    },
    { name: '16-bit PNG', filename: 'deep.png', bytes: await rgb().toColourspace('rgb16').png().toBuffer() },
    { name: 'RGBA PNG', filename: 'alpha.png', bytes: rgba },
    {
      name: 'animated GIF (the picture, then a blank frame)',
      filename: 'animated.gif',
      bytes: await sharp([basePng, blank], { join: { animated: true } })
        .gif()
        .toBuffer(),
    },
  ];
}

async function inkAsAlpha(base: Buffer): Promise<Buffer> {
  const { data: grey, info } = await sharp(base)
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgba = Buffer.alloc(info.width * info.height * 4);
  grey.forEach((level, i) => rgba.writeUInt8(255 - level, i * 4 + 3));
  return sharp(rgba, { raw: { width: info.width, height: info.height, channels: 4 } })
    .png()
    .toBuffer();
}

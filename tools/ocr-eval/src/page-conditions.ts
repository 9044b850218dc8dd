import sharp from 'sharp';

/** One way a page reaches an OCR service, made from a clean page. */
export interface PageCondition {
  name: 'clean' | 'skewed 3°' | 'noisy' | 'JPEG q20' | 'fax-like' | 'turned 90°' | 'unevenly lit';
  /** The page as a file (PNG or JPEG), the same bytes every run. */
  bytes: Buffer;
}

/** A small seeded generator (mulberry32): the same noise every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Files say 300 dpi, as a scanner's do: without it the native CLI warns of an invalid resolution and guesses.
const dpi = { density: 300 };

const greyPng = (data: Buffer, width: number, height: number) =>
  sharp(data, { raw: { width, height, channels: 1 } })
    .withMetadata(dpi)
    .png()
    .toBuffer();

/**
 * The conditions of the issue, each made the same way for every page and set before any result
 * was seen: a 3° feed skew; speckle (1 % of pixels flipped to ink or paper) over grain (±24 grey
 * levels); a JPEG at quality 20; a fine-mode fax (204×196 dpi from 300, 1 bit at mid grey, shown
 * back at the page's size, pixels doubled, with 0.3 % speckle); the page turned a quarter; and
 * (added with the layout pages, before any of its results) unevenly lit: a shadow across the page,
 * paper and ink both dimmed toward the right edge to 45 % and toward the bottom by a further 20 %,
 * as a phone photo of a page under a lamp.
 */
export async function pageConditions(clean: Buffer, seed = 1): Promise<PageCondition[]> {
  const { data, info } = await sharp(clean)
    .flatten({ background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const next = random(seed);

  const noisy = Buffer.from(data);
  for (let i = 0; i < noisy.length; i++) {
    const roll = next();
    if (roll < 0.005) noisy[i] = 0;
    else if (roll < 0.01) noisy[i] = 255;
    else noisy[i] = Math.min(255, Math.max(0, (noisy[i] ?? 255) + Math.round((next() - 0.5) * 48)));
  }

  const faxWidth = Math.round((width * 204) / 300);
  const faxHeight = Math.round((height * 196) / 300);
  const bits = await sharp(data, { raw: { width, height, channels: 1 } })
    .resize(faxWidth, faxHeight, { fit: 'fill' })
    .threshold(128)
    .extractChannel(0)
    .raw()
    .toBuffer();
  for (let i = 0; i < bits.length; i++) if (next() < 0.003) bits[i] = 255 - (bits[i] ?? 255);
  const fax = await sharp(bits, { raw: { width: faxWidth, height: faxHeight, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'nearest' })
    .withMetadata(dpi)
    .png()
    .toBuffer();

  const shaded = Buffer.alloc(data.length);
  for (let y = 0; y < height; y++) {
    const down = 1 - 0.2 * (y / height);
    for (let x = 0; x < width; x++) {
      const across = 1 - 0.55 * (x / width) ** 1.5;
      const i = y * width + x;
      shaded[i] = Math.round((data[i] ?? 255) * across * down);
    }
  }

  const page = () => sharp(data, { raw: { width, height, channels: 1 } }).withMetadata(dpi);
  return [
    { name: 'clean', bytes: await greyPng(data, width, height) },
    {
      name: 'skewed 3°',
      bytes: await page().rotate(3, { background: '#ffffff' }).extractChannel(0).png().toBuffer(),
    },
    { name: 'noisy', bytes: await greyPng(noisy, width, height) },
    { name: 'JPEG q20', bytes: await page().jpeg({ quality: 20 }).toBuffer() },
    { name: 'fax-like', bytes: fax },
    { name: 'turned 90°', bytes: await page().rotate(90).png().toBuffer() },
    { name: 'unevenly lit', bytes: await greyPng(shaded, width, height) },
  ];
}

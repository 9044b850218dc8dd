import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readJpegHeader } from './read-jpeg-header.js';
import { quadrants } from './testing/quadrant-image.js';

// Every JPEG is made here with sharp, and every answer checked against what libvips reads; nothing is mocked.

const W = 40;
const H = 30;
const rgba = () => sharp(quadrants(W, H), { raw: { width: W, height: H, channels: 4 } });

/** What libvips reads from the same header, in `readJpegHeader`'s terms. */
async function libvipsHeader(jpeg: Buffer) {
  const { width, height, orientation, icc, channels, depth } = await sharp(jpeg).metadata();
  // libvips names the sample size; every JPEG here has 8 bits per sample.
  return {
    width,
    height,
    orientation: orientation ?? 1,
    icc,
    components: channels,
    precision: depth === 'uchar' ? 8 : depth,
  };
}

/** `jpeg` with `segment` (marker and payload) inserted right after its SOI. */
function withSegment(jpeg: Buffer, marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, payload, jpeg.subarray(2)]);
}

describe('readJpegHeader', () => {
  it('reads what libvips reads: size, components, EXIF orientation and ICC profile', async () => {
    const jpegs = [
      await rgba().jpeg().toBuffer(),
      await rgba().jpeg({ progressive: true }).toBuffer(),
      await rgba().withMetadata({ orientation: 6 }).jpeg().toBuffer(),
      await rgba().withMetadata({ orientation: 3 }).jpeg().toBuffer(),
      await rgba().withIccProfile('srgb').jpeg().toBuffer(),
      await rgba().withIccProfile('p3').withMetadata({ orientation: 8 }).jpeg().toBuffer(),
      await rgba().greyscale().jpeg().toBuffer(),
      await rgba().toColourspace('cmyk').jpeg().toBuffer(),
    ];
    for (const jpeg of jpegs) {
      const header = readJpegHeader(jpeg);
      expect(header).not.toBeNull();
      expect(header).toEqual(await libvipsHeader(jpeg));
    }
  });

  it('joins a profile split over several APP2 chunks, in their numbered order', async () => {
    const tagged = await rgba().withIccProfile('p3').jpeg().toBuffer();
    const { icc } = await sharp(tagged).metadata();
    if (!icc) throw new Error('no profile was embedded');
    const plain = await rgba().jpeg().toBuffer();
    const chunk = (sequence: number, part: Buffer) =>
      Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([sequence, 2]), part]);
    const half = Math.floor(icc.length / 2);
    // Inserted one after the other at the front: chunk 2 ends up first in the file.
    const split = withSegment(
      withSegment(plain, 0xe2, chunk(1, icc.subarray(0, half))),
      0xe2,
      chunk(2, icc.subarray(half)),
    );
    expect(readJpegHeader(split)?.icc).toEqual(icc);
    expect((await libvipsHeader(split)).icc).toEqual(icc);
  });

  it('leaves to libvips what it does not read plainly', async () => {
    const plain = await rgba().jpeg().toBuffer();
    const exif = await rgba().withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const exifSegment = (() => {
      const header = readJpegHeader(exif);
      expect(header?.orientation).toBe(6);
      // The APP1 segment sharp wrote comes right after SOI (and JFIF's APP0, when present).
      for (let at = 2; at < exif.length; at += 2 + exif.readUInt16BE(at + 2)) {
        if (exif[at + 1] === 0xe1) return exif.subarray(at + 4, at + 2 + exif.readUInt16BE(at + 2));
      }
      throw new Error('no APP1 segment');
    })();
    expect(readJpegHeader(withSegment(exif, 0xe1, exifSegment))).toBeNull(); // two EXIF blocks
    // Chunk 1 of a declared 2, alone: libvips reads it as a whole profile, libjpeg's own reader as none.
    const lonely = Buffer.concat([
      Buffer.from('ICC_PROFILE\0', 'latin1'),
      Buffer.from([1, 2]),
      Buffer.alloc(200),
    ]);
    expect(readJpegHeader(withSegment(plain, 0xe2, lonely))).toBeNull();
    expect(readJpegHeader(plain.subarray(0, 20))).toBeNull(); // cut before the frame header
    expect(readJpegHeader(Buffer.from('not a jpeg'))).toBeNull();
  });
});

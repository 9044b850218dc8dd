import { describe, expect, it } from 'vitest';
import { isHarmlessJpegWarning } from './harmless-jpeg-warning.js';

describe('isHarmlessJpegWarning', () => {
  it('takes stray bytes skipped between segments, as libvips repeats them', () => {
    expect(isHarmlessJpegWarning('VipsJpeg: Corrupt JPEG data: 10 extraneous bytes before marker 0xd9')).toBe(
      true,
    );
    const repeated = 'VipsJpeg: Corrupt JPEG data: 16 extraneous bytes before marker 0xc4\n'.repeat(3);
    expect(isHarmlessJpegWarning(repeated)).toBe(true);
  });

  it('refuses damaged scan data, stray bytes before a restart marker and any other warning beside them', () => {
    for (const message of [
      'VipsJpeg: Corrupt JPEG data: premature end of data segment',
      'VipsJpeg: Corrupt JPEG data: bad Huffman code',
      'VipsJpeg: Premature end of JPEG file',
      'VipsJpeg: Corrupt JPEG data: 3 extraneous bytes before marker 0xd3',
      'VipsJpeg: Corrupt JPEG data: 10 extraneous bytes before marker 0xd9\nVipsJpeg: Corrupt JPEG data: premature end of data segment',
      '',
    ]) {
      expect(isHarmlessJpegWarning(message), message).toBe(false);
    }
  });
});

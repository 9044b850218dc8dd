import { fileTypeFromTokenizer } from 'file-type';
import type { ByteSource } from './byte-source.js';
import { ByteSourceTokenizer } from './byte-source-tokenizer.js';

const textSampleBytes = 1_024;
// Control characters other than tab, line feed, vertical tab, form feed and carriage return.
// eslint-disable-next-line no-control-regex -- they are what this looks for
const binaryControl = /[\u0000-\u0008\u000e-\u001f]/;

/**
 * The real media type of stored bytes. It is read from the stored bytes with random access, not
 * from a streamed head: some formats keep their proof past the first kilobytes (a TIFF written by
 * libtiff or libvips has its first IFD after the pixel data). Formats without magic numbers fall
 * back to text/plain when the start is valid UTF-8 without control characters, else octet-stream.
 */
export async function sniffMediaType(source: ByteSource): Promise<string> {
  if (source.size === 0) return 'application/x-empty';
  const detected = await fileTypeFromTokenizer(new ByteSourceTokenizer(source));
  if (detected) return detected.mime;
  const head = await source.read(0, Math.min(textSampleBytes, source.size));
  return looksLikeText(head, head.length === textSampleBytes) ? 'text/plain' : 'application/octet-stream';
}

function looksLikeText(sample: Uint8Array, cutShort: boolean): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // A sample cut from a longer file may end inside a multi-byte character (at most 3 of its bytes).
  for (let cut = 0; cut <= (cutShort ? 3 : 0); cut++) {
    try {
      return !binaryControl.test(decoder.decode(sample.subarray(0, sample.length - cut)));
    } catch {
      // not valid UTF-8 at this length
    }
  }
  return false;
}

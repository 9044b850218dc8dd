import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';

const textSampleBytes = 1_024;
// Control characters other than tab, line feed, vertical tab, form feed and carriage return.
// eslint-disable-next-line no-control-regex -- they are what this looks for
const binaryControl = /[\u0000-\u0008\u000e-\u001f]/;

/**
 * The real media type of a stored file. It is read from the file, not from a streamed head: some
 * formats keep their proof past the first kilobytes (a TIFF written by libtiff or libvips has its
 * first IFD after the pixel data). Formats without magic numbers fall back to text/plain when the
 * start is valid UTF-8 without control characters, else octet-stream.
 */
export async function sniffMediaType(file: string): Promise<string> {
  const detected = await fileTypeFromFile(file);
  if (detected) return detected.mime;
  const head = await readHead(file, textSampleBytes);
  if (head.length === 0) return 'application/x-empty';
  return looksLikeText(head, head.length === textSampleBytes) ? 'text/plain' : 'application/octet-stream';
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
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

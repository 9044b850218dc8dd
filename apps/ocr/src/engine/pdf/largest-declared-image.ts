/** An image's size as its dictionary declares it. */
export interface DeclaredImage {
  width: number;
  height: number;
}

// How far around `/Subtype /Image` its dictionary's `/Width` and `/Height` are looked for: an image
// dictionary is a few hundred bytes; its filters' parameters and colour space are the long parts.
const window = 4096;

/** An integer written directly, not a reference (`12 0 R`), which is left out. */
const entry = (key: string) => new RegExp(`/${key}\\s+(\\d+)\\b(?!\\s+\\d+\\s+R)`);
const widthEntry = entry('Width');
const heightEntry = entry('Height');

/**
 * The image XObject with the most pixels among those a PDF declares, read from the file's bytes
 * without parsing or decoding anything; null where it declares none. An image XObject is a stream,
 * and a stream is never inside an object stream, so its dictionary is always there in plain
 * bytes, between the `obj` that opens it and its `stream` keyword. Sizes given by reference and
 * inline images (inside compressed content streams, and small by design) are not seen.
 */
export function largestDeclaredImage(bytes: Buffer): DeclaredImage | null {
  let largest: DeclaredImage | null = null;
  for (let at = bytes.indexOf('/Image'); at !== -1; ) {
    // `/ImageMask`, `/ImageB`… are other names; only the `/Subtype` entry's value is an image.
    const next = bytes[at + 6];
    const before = bytes.toString('latin1', Math.max(0, at - 32), at);
    if (
      (next !== undefined && /[A-Za-z0-9]/.test(String.fromCharCode(next))) ||
      !/\/Subtype\s*$/.test(before)
    ) {
      at = bytes.indexOf('/Image', at + 1);
      continue;
    }
    // Within the window either side, and the search goes on from the dictionary's end: a file of
    // such names and no objects is read at most about twice over.
    const around = bytes.toString('latin1', Math.max(0, at - window), Math.min(bytes.length, at + window));
    const here = Math.min(at, window);
    const opened = around.lastIndexOf('obj', here);
    const ends = [around.indexOf('stream', here), around.indexOf('endobj', here)].filter((n) => n !== -1);
    const end = Math.min(...ends, around.length);
    const dictionary = around.slice(Math.max(opened, 0), end);
    const width = Number(widthEntry.exec(dictionary)?.[1] ?? 0);
    const height = Number(heightEntry.exec(dictionary)?.[1] ?? 0);
    if (width * height > (largest ? largest.width * largest.height : 0)) largest = { width, height };
    at = bytes.indexOf('/Image', at + Math.max(1, end - here));
  }
  return largest;
}

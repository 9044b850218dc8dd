/**
 * A little-endian TIFF of `pages` white `size × size` 8-bit grey pages, each directory right before
 * its pixels: thousands of pages in a few hundred KB, what a hostile upload over the page limit is.
 */
export function manyPagesTiff(pages: number, size = 16): Buffer {
  const fields = 8;
  const directory = 2 + fields * 12 + 4;
  const pixels = size * size;
  const perPage = directory + pixels;
  const tiff = Buffer.alloc(8 + pages * perPage, 0xff);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  for (let page = 0; page < pages; page++) {
    const at = 8 + page * perPage;
    // [tag, type (3 SHORT, 4 LONG), value]: size, 8-bit, no compression, black is zero, one strip.
    const entries: [number, number, number][] = [
      [256, 4, size],
      [257, 4, size],
      [258, 3, 8],
      [259, 3, 1],
      [262, 3, 1],
      [273, 4, at + directory],
      [278, 4, size],
      [279, 4, pixels],
    ];
    tiff.writeUInt16LE(fields, at);
    entries.forEach(([tag, type, value], i) => {
      const entry = at + 2 + 12 * i;
      tiff.writeUInt16LE(tag, entry);
      tiff.writeUInt16LE(type, entry + 2);
      tiff.writeUInt32LE(1, entry + 4);
      if (type === 3) tiff.writeUInt16LE(value, entry + 8);
      else tiff.writeUInt32LE(value, entry + 8);
    });
    tiff.writeUInt32LE(page === pages - 1 ? 0 : at + perPage, at + directory - 4);
  }
  return tiff;
}

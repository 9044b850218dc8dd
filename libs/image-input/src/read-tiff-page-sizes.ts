/** The size a TIFF page declares in its directory. */
export interface TiffPageSize {
  width: number;
  height: number;
}

const imageWidth = 256;
const imageLength = 257;
// Field types a size may have: SHORT, LONG, and BigTIFF's LONG8.
const short = 3;
const long = 4;
const long8 = 16;

/** Reads numbers of either byte order; a read past the end gives undefined rather than throwing. */
function reader(bytes: Buffer, littleEndian: boolean) {
  const inside = (at: number, size: number) => at >= 0 && at + size <= bytes.length;
  return {
    u16: (at: number) =>
      inside(at, 2) ? (littleEndian ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at)) : undefined,
    u32: (at: number) =>
      inside(at, 4) ? (littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at)) : undefined,
    u64: (at: number) =>
      inside(at, 8)
        ? Number(littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at))
        : undefined,
  };
}

/**
 * The declared size of each page of a TIFF (the first `most`), classic or BigTIFF, in order, from one walk along its
 * chain of directories: time linear in the page count. libvips reads one page's header by opening
 * the file and counting every directory first, so a header per page costs time quadratic in the
 * page count (1,000 pages: 8 s). Null where the chain does not read plainly (a field out of the
 * file, a size given some other way, a directory seen twice): libvips' own checks then apply.
 */
export function readTiffPageSizes(bytes: Buffer, most: number): TiffPageSize[] | null {
  const order = bytes.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const read = reader(bytes, order === 'II');
  const big = read.u16(2) === 43;
  if (!big && read.u16(2) !== 42) return null;
  // Classic: 12-byte entries, 2-byte counts, 4-byte offsets; BigTIFF: 20, 8 and 8.
  const offset = big ? read.u64 : read.u32;
  const countOf = big ? read.u64 : read.u16;
  const [countSize, entrySize, valueAt] = big ? [8, 20, 12] : [2, 12, 8];
  const sizes: TiffPageSize[] = [];
  const seen = new Set<number>();
  let ifd = offset(big ? 8 : 4);
  while (ifd !== 0) {
    const entries = ifd === undefined || seen.has(ifd) ? undefined : countOf(ifd);
    if (ifd === undefined || entries === undefined) return null;
    const next = ifd + countSize + entries * entrySize;
    if (next > bytes.length) return null;
    seen.add(ifd);
    const size: Partial<TiffPageSize> = {};
    for (let entry = ifd + countSize; entry < next; entry += entrySize) {
      const tag = read.u16(entry);
      if (tag !== imageWidth && tag !== imageLength) continue;
      const type = read.u16(entry + 2);
      const value =
        type === short
          ? read.u16(entry + valueAt)
          : type === long
            ? read.u32(entry + valueAt)
            : type === long8 && big
              ? read.u64(entry + valueAt)
              : undefined;
      if (value === undefined) return null;
      size[tag === imageWidth ? 'width' : 'height'] = value;
    }
    if (size.width === undefined || size.height === undefined) return null;
    sizes.push({ width: size.width, height: size.height });
    if (sizes.length === most) break;
    ifd = offset(next);
  }
  return sizes;
}

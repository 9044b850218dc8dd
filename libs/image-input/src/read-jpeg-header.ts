/** What decoding a JPEG at a chosen size needs to know from its header. */
export interface JpegHeader {
  /** Size as stored, before the EXIF orientation. */
  width: number;
  height: number;
  /** EXIF orientation (1–8), 1 when the file has none or an invalid one. */
  orientation: number;
  /** The embedded ICC profile, its chunks joined; undefined when there is none. */
  icc: Buffer | undefined;
  /** Bits per sample (8, or 12 and 16 in rarer files) and colour components (1 grey, 3 YCbCr or RGB, 4 CMYK). */
  precision: number;
  components: number;
}

/** The size as displayed: orientations 5–8 turn the image a quarter, so width and height swap. */
export function displayedSize({ width, height, orientation }: JpegHeader): { width: number; height: number } {
  return orientation >= 5 ? { width: height, height: width } : { width, height };
}

/** SOF0–SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
/** Markers that stand alone, with no length after them: TEM and RST0–RST7. */
const standsAlone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

const startsWith = (segment: Buffer, text: string) => segment.toString('latin1', 0, text.length) === text;

/**
 * The orientation (0x0112) in IFD0 of an APP1 `Exif\0\0` segment, 1 for a value outside 1–8 as
 * libvips reads it; null when IFD0 has no such tag or the block is not read plainly (libexif would
 * then look further, in the thumbnail's IFD among others: the caller asks libvips instead).
 */
function exifOrientation(segment: Buffer): number | null {
  const tiff = segment.subarray(6);
  if (tiff.length < 8) return null;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const entries = u16(ifd);
  if (ifd + 2 + entries * 12 > tiff.length) return null;
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (u16(entry) !== 0x0112) continue;
    // SHORT (3), one value, held in the first two bytes of the value field.
    if (u16(entry + 2) !== 3 || u32(entry + 4) !== 1) return null;
    const value = u16(entry + 8);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return null;
}

/**
 * The profile's APP2 `ICC_PROFILE\0` chunks joined in order, when they are plainly one profile:
 * numbered 1 to the count each declares, each once, none empty. libvips joins whatever chunks run on
 * from number 1, whatever count they declare; on anything but the plain case it is left to decide
 * (null). `undefined`: no profile at all.
 */
function joinIccChunks(chunks: readonly Buffer[]): Buffer | undefined | null {
  if (chunks.length === 0) return undefined;
  const count = chunks[0]?.[13] ?? 0;
  const ordered: Buffer[] = [];
  for (const chunk of chunks) {
    const sequence = chunk[12] ?? 0;
    const plain = chunk[13] === count && sequence >= 1 && sequence <= count && chunk.length > 14;
    if (!plain || ordered[sequence - 1]) return null;
    ordered[sequence - 1] = chunk.subarray(14);
  }
  return chunks.length === count ? Buffer.concat(ordered) : null;
}

/**
 * Reads a JPEG's size, EXIF orientation and ICC profile from its markers, in JavaScript: what a
 * second libvips open of the file would tell, without that open's cost (about 1 ms of CPU per image
 * on a 768×576 photo) or its round trip through the thread pool. Returns null for anything it does
 * not read plainly (no frame header before the scan, a zero height, a segment cut short, an EXIF
 * block with no orientation in IFD0, or more than one, profile chunks that do not add up): the caller
 * then asks libvips, which also names what is wrong.
 */
export function readJpegHeader(bytes: Buffer): JpegHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let frame: { width: number; height: number; precision: number; components: number } | null = null;
  let orientation = 1;
  let exifSegments = 0;
  const iccChunks: Buffer[] = [];
  let at = 2;
  for (;;) {
    if (at >= bytes.length || bytes[at] !== 0xff) return null;
    // Any number of 0xFF fill bytes may come before a marker.
    while (bytes[at] === 0xff) at++;
    const marker = bytes[at++];
    if (marker === undefined) return null;
    if (standsAlone(marker)) continue;
    // Start of scan: every header segment has been read. End of image: no scan at all.
    if (marker === 0xda || marker === 0xd9) break;
    if (at + 2 > bytes.length) return null;
    const length = bytes.readUInt16BE(at);
    if (length < 2 || at + length > bytes.length) return null;
    const segment = bytes.subarray(at + 2, at + length);
    at += length;
    if (isStartOfFrame(marker)) {
      if (segment.length < 6) return null;
      frame ??= {
        precision: segment.readUInt8(0),
        height: segment.readUInt16BE(1),
        width: segment.readUInt16BE(3),
        components: segment.readUInt8(5),
      };
    } else if (marker === 0xe1 && startsWith(segment, 'Exif')) {
      // libvips keeps the last of several; a file with more than one is left to it.
      const read = startsWith(segment, 'Exif\0\0') && ++exifSegments === 1 ? exifOrientation(segment) : null;
      if (read === null) return null;
      orientation = read;
    } else if (marker === 0xe2 && segment.length >= 14 && startsWith(segment, 'ICC_PROFILE\0')) {
      iccChunks.push(segment);
    }
  }
  // A zero height is declared later in a DNL segment, which libjpeg refuses anyway.
  if (!frame || frame.width === 0 || frame.height === 0) return null;
  const icc = joinIccChunks(iccChunks);
  return icc === null ? null : { ...frame, orientation, icc };
}

import { GantryError } from '@gantry/contracts';
import sharp, { type KernelEnum, type Metadata, type Sharp } from 'sharp';
import { decodeBmp, readBmpHeader } from './decode-bmp.js';
import { isHarmlessJpegWarning } from './harmless-jpeg-warning.js';
import { jpegTurboScaled } from './jpeg-turbo-scaled.js';
import { displayedSize, type JpegHeader, readJpegHeader } from './read-jpeg-header.js';
import { type ImageFormat, sniffImageFormat } from './sniff-image-format.js';
import { readTiffPageSizes } from './read-tiff-page-sizes.js';
import { isSrgbProfile } from './srgb-profile.js';

/** One frame or page, decoded. */
export interface DecodedPage {
  /**
   * Turned upright by its EXIF orientation (left as stored with `orient: false`), 8-bit sRGB with
   * three channels (alpha flattened onto white), or four with `alpha: 'keep'` when the file has alpha. Already decoded, so it cannot fail
   * on bad pixel data any more; a sharp instance feeds one output, so `clone()` it for each pipeline.
   */
  image: Sharp;
  /** Size as displayed, after the EXIF orientation (as stored, with `orient: false`). */
  width: number;
  height: number;
  channels: 3 | 4;
}

/** One page as 8-bit grey pixels, one byte each, row by row. */
export interface GreyPage {
  data: Buffer;
  width: number;
  height: number;
}

/** How the first page is scaled while it is decoded: the size wanted, given the size as displayed. */
export interface PageScale {
  size(width: number, height: number): { width: number; height: number };
  kernel: keyof KernelEnum;
}

/** The first page decoded straight to a chosen size. */
export interface ScaledPage {
  /** Upright 8-bit sRGB, alpha flattened onto white: `scaledWidth × scaledHeight × channels` bytes, row by row. */
  pixels: Buffer;
  channels: number;
  scaledWidth: number;
  scaledHeight: number;
  /** Size as displayed, after the EXIF orientation, before scaling. */
  width: number;
  height: number;
}

/** What the file's header says about its pixels, before they were turned into upright 8-bit sRGB. */
export interface SourceMetadata {
  /** libvips' interpretation: `srgb`, `cmyk`, `b-w` (grey), `rgb16`, `grey16`, `lab`… */
  space: string;
  /** Bits per sample, as libvips names them: `uchar` (8), `ushort` (16), `float`… */
  depth: string;
  /** Channels in the file, alpha included. */
  channels: number;
  hasAlpha: boolean;
  /** EXIF orientation (1–8), 1 when the file has none. */
  orientation: number;
  /**
   * The embedded ICC profile: `other` converts the pixels to sRGB while decoding; `srgb` is not
   * applied (the pixels are sRGB already); null when the file has none.
   */
  iccProfile: 'srgb' | 'other' | null;
  /** The raw EXIF block, when the file has one. */
  exif: Buffer | null;
}

/** How alpha is decoded: flattened onto white (the default), or kept as a fourth channel. */
export type AlphaHandling = 'flatten' | 'keep';

export interface DecodeOptions {
  alpha?: AlphaHandling;
  /**
   * `false` leaves the pixels as stored, for a caller that applies `metadata.orientation` itself
   * (the enhancer, which times each of its steps); default true.
   */
  orient?: boolean;
}

/** An upload whose format is known and whose first header was read; pages are checked and decoded on demand. */
export interface ImageFile {
  readonly format: ImageFormat;
  /** Frames (GIF, WebP) or pages (TIFF) in the file. */
  readonly pages: number;
  /** The first page's header. */
  readonly metadata: SourceMetadata;
  /** Checks the size page `index` (0-based) declares against the pixel limit, from its header alone. */
  checkPage(index: number): Promise<void>;
  /**
   * Checks the first `count` pages as `checkPage` does, in time linear in `count`: a TIFF's sizes
   * from one walk along its directories, an animation's from its first frame (libvips gives every
   * frame the canvas's size).
   */
  checkPages(count: number): Promise<void>;
  /** Checks, then decodes page `index` (0-based). */
  decodePage(index: number, options?: DecodeOptions): Promise<DecodedPage>;
  /**
   * Checks, then decodes page `index` straight to 8-bit grey: the pixels of `decodePage` (upright, alpha
   * flattened onto white) turned grey, in one libvips pass. Through `decodePage`, a 300 dpi A4 scan took 70 ms
   * of CPU (grey to sRGB, a three-channel copy, back to grey); this way 14 ms. The same pixels from 8-bit files;
   * from 16 bits the grey is rounded once instead of twice, at most one level apart.
   */
  decodeGreyPage(index: number): Promise<GreyPage>;
  /**
   * Checks, then decodes the first page at the size `scale` picks, in the same libvips pass as the
   * decoding: no full-size copy, and a large JPEG shrinks while it is read. For analyses that need only
   * a small copy (detection).
   */
  decodeScaled(scale: PageScale): Promise<ScaledPage>;
}

const supportedFormats: readonly ImageFormat[] = ['png', 'jpeg', 'tiff', 'webp', 'gif', 'bmp', 'avif'];
const supported = supportedFormats.join(', ');

// Headers are read at 'error': a header holds no pixel data, and stray bytes before a table must
// not refuse a file whose pixels decode whole (see `decodeStrictly` for the pixels).
const headerFailOn = 'error';

/** How strict libvips is while it decodes pixels: sharp's `failOn`. */
type FailOn = 'error' | 'warning';

/** A fresh pipeline decoding the page at a strictness (a sharp instance feeds one output only). */
type Decoder = (failOn: FailOn) => Sharp;

function corrupt(format: ImageFormat, cause: unknown): GantryError {
  const reason = cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause);
  return new GantryError('MEDIA_CORRUPT', `The ${format} file could not be decoded (${reason})`, {
    details: { format, decoder: reason },
    cause,
  });
}

/**
 * Runs `decode` on a pipeline of `decoder`, turning any failure into MEDIA_CORRUPT. A JPEG is
 * decoded at `failOn: 'warning'`: libjpeg reports damaged scan data (2,000 flipped bytes mid-file:
 * "premature end of data segment", "bad Huffman code") only as warnings and goes on to return
 * garbage pixels, which at 'error' every engine analysed as if they were the photo. But many real
 * camera files carry one harmless warning (stray bytes before the end-of-image marker): when that
 * is all libjpeg said (`isHarmlessJpegWarning`), the file is decoded again at 'error'. libjpeg stops
 * at its first warning, so a later one in such a file goes unseen, as it did before; a warning in
 * scan data comes before the stray bytes after it, so damaged pixels still fail. Other formats stay
 * at 'error': their decoders warn about harmless things (PNG's known-incorrect sRGB profiles, TIFF's
 * unknown tags) and do not hide corrupt pixel data behind warnings the way libjpeg does.
 */
async function decodeStrictly<T>(
  decoder: Decoder,
  format: ImageFormat,
  decode: (pipeline: Sharp) => Promise<T>,
): Promise<T> {
  try {
    try {
      return await decode(decoder(format === 'jpeg' ? 'warning' : 'error'));
    } catch (error) {
      if (format !== 'jpeg' || !(error instanceof Error) || !isHarmlessJpegWarning(error.message))
        throw error;
      return await decode(decoder('error'));
    }
  } catch (error) {
    throw corrupt(format, error);
  }
}

function unsupported(message: string, format: string | null): GantryError {
  return new GantryError('UNSUPPORTED_MEDIA_TYPE', message, {
    details: { format, supported: supportedFormats },
  });
}

function guardPixels(width: number, height: number, format: ImageFormat, maxPixels: number, index: number) {
  const pixels = width * height;
  if (pixels <= maxPixels) return;
  const what = index === 0 ? `The ${format} image` : `Page ${index + 1} of the ${format} image`;
  throw new GantryError(
    'MEDIA_TOO_LARGE',
    `${what} is ${width}×${height} (${pixels} pixels), over the limit of ${maxPixels} pixels`,
    { details: { page: index + 1, width, height, pixels, max_pixels: maxPixels } },
  );
}

/** The format, refusing with a typed error what no decoder here should see. */
function supportedFormat(bytes: Buffer): ImageFormat {
  // An empty upload has no format at all: the gateway refuses it as unsupported too (application/x-empty).
  if (bytes.length === 0) throw unsupported('The file is empty', null);
  const format = sniffImageFormat(bytes);
  if (format === 'heic') {
    throw unsupported(`HEIC images cannot be decoded here; send one of: ${supported}`, format);
  }
  if (format === null) {
    throw unsupported(`The file is not an image in a supported format (${supported})`, null);
  }
  return format;
}

async function decodeUpright(
  decoder: Decoder,
  format: ImageFormat,
  { alpha = 'flatten', orient = true }: DecodeOptions = {},
): Promise<DecodedPage> {
  return decodeStrictly(decoder, format, async (pipeline) => {
    const oriented = orient ? pipeline.autoOrient() : pipeline;
    const { data, info } = await (
      alpha === 'flatten' ? oriented.flatten({ background: '#ffffff' }) : oriented
    )
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height } = info;
    const channels = info.channels === 4 ? 4 : 3;
    // Our own pixels, already within maxPixels: sharp's default limit must not apply again.
    return {
      image: sharp(data, { raw: { width, height, channels }, limitInputPixels: false }),
      width,
      height,
      channels,
    };
  });
}

async function decodeGrey(decoder: Decoder, format: ImageFormat): Promise<GreyPage> {
  return decodeStrictly(decoder, format, async (pipeline) => {
    const { data, info } = await pipeline
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  });
}

/** The decoder's page, of `width × height` as displayed, decoded at the size `scale` picks for it. */
async function decodeScaled(
  decoder: Decoder,
  format: ImageFormat,
  width: number,
  height: number,
  scale: PageScale,
): Promise<ScaledPage> {
  return decodeAtSize(decoder, format, width, height, scale.size(width, height), scale.kernel);
}

async function decodeAtSize(
  decoder: Decoder,
  format: ImageFormat,
  width: number,
  height: number,
  wanted: { width: number; height: number },
  kernel: PageScale['kernel'],
): Promise<ScaledPage> {
  return decodeStrictly(decoder, format, async (pipeline) => {
    const { data, info } = await pipeline
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .resize(wanted.width, wanted.height, { fit: 'fill', kernel })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      pixels: data,
      channels: info.channels,
      scaledWidth: info.width,
      scaledHeight: info.height,
      width,
      height,
    };
  });
}

function bmpFile(bytes: Buffer, maxPixels: number): ImageFile {
  const header = readBmpHeader(bytes);
  if (!header) throw corrupt('bmp', new Error('the header is cut short or declares no pixels'));
  if (header.embedded) throw unsupported('BMP files that wrap a JPEG or PNG stream are not supported', 'bmp');
  const checkPage = (): Promise<void> => {
    guardPixels(header.width, header.height, 'bmp', maxPixels, 0);
    return Promise.resolve();
  };
  /** The pixels as our decoder gives them (8-bit RGBA), for sharp to go on from; raw pixels have nothing to warn about. */
  const decoded = async (): Promise<Decoder> => {
    await checkPage();
    try {
      const { data, width, height } = decodeBmp(bytes);
      return () => sharp(data, { raw: { width, height, channels: 4 }, limitInputPixels: false });
    } catch (error) {
      throw corrupt('bmp', error);
    }
  };
  return {
    format: 'bmp',
    pages: 1,
    // Decoded to 8-bit RGBA by our own decoder; BMP has no EXIF or ICC support here.
    metadata: {
      space: 'srgb',
      depth: 'uchar',
      channels: 4,
      hasAlpha: true,
      orientation: 1,
      iccProfile: null,
      exif: null,
    },
    checkPage,
    checkPages: checkPage,
    async decodePage(_index, options) {
      return decodeUpright(await decoded(), 'bmp', options);
    },
    async decodeGreyPage() {
      return decodeGrey(await decoded(), 'bmp');
    },
    async decodeScaled(scale) {
      return decodeScaled(await decoded(), 'bmp', header.width, header.height, scale);
    },
  };
}

async function sharpFile(bytes: Buffer, format: ImageFormat, maxPixels: number): Promise<ImageFile> {
  // Header only: libvips reads no pixel data for metadata, so a decompression bomb is refused
  // before decoding, and sharp's own limit must not hide the size we report.
  const readHeader = async (page: number): Promise<Metadata> => {
    try {
      return await sharp(bytes, { failOn: headerFailOn, limitInputPixels: false, page }).metadata();
    } catch (error) {
      throw corrupt(format, error);
    }
  };
  const headers = new Map([[0, await readHeader(0)]]);
  const checkPage = async (index: number): Promise<void> => {
    const header = headers.get(index) ?? (await readHeader(index));
    headers.set(index, header);
    guardPixels(header.width, header.height, format, maxPixels, index);
  };
  const checkPages = async (count: number): Promise<void> => {
    if (format !== 'tiff') return checkPage(0);
    const sizes = readTiffPageSizes(bytes, count);
    if (sizes?.length === count) {
      sizes.forEach(({ width, height }, index) => guardPixels(width, height, format, maxPixels, index));
      return;
    }
    // A chain that does not read plainly: libvips reads each header, slowly but surely.
    for (let index = 0; index < count; index++) await checkPage(index);
  };
  const first = headers.get(0);
  /**
   * The pipeline that decodes page `index`. An embedded profile that is sRGB itself is not applied:
   * the pixels are sRGB already, and the transform would only spend time on every one of them.
   */
  const decoder =
    (index: number): Decoder =>
    (failOn) =>
      sharp(bytes, {
        failOn,
        limitInputPixels: maxPixels,
        page: index,
        pages: 1,
        ignoreIcc: isSrgbProfile(headers.get(index)?.icc),
      });
  return {
    format,
    pages: first?.pages ?? 1,
    metadata: {
      space: first?.space ?? 'srgb',
      depth: first?.depth ?? 'uchar',
      channels: first?.channels ?? 3,
      hasAlpha: first?.hasAlpha ?? false,
      orientation: first?.orientation ?? 1,
      iccProfile: first?.icc === undefined ? null : isSrgbProfile(first.icc) ? 'srgb' : 'other',
      exif: first?.exif ?? null,
    },
    checkPage,
    checkPages,
    async decodePage(index, options) {
      await checkPage(index);
      // Decoding here, once, is what turns truncated pixel data into MEDIA_CORRUPT instead of a late sharp error.
      return decodeUpright(decoder(index), format, options);
    },
    async decodeGreyPage(index) {
      await checkPage(index);
      return decodeGrey(decoder(index), format);
    },
    async decodeScaled(scale) {
      await checkPage(0);
      // The header's size as displayed: a quarter-turn orientation swaps width and height.
      const shown = first?.autoOrient ?? { width: first?.width ?? 0, height: first?.height ?? 0 };
      return decodeScaled(decoder(0), format, shown.width, shown.height, scale);
    },
  };
}

/**
 * A JPEG decoded at the size `scale` picks, from the header read in JavaScript: the same checks as
 * `sharpFile(…).decodeScaled`, less its separate libvips header open. A plain file that libvips could
 * not shrink while reading goes to libjpeg-turbo (`jpegTurboScaled`); the rest to the same pipeline
 * and the same pixels.
 */
async function jpegScaled(
  bytes: Buffer,
  header: JpegHeader,
  maxPixels: number,
  scale: PageScale,
): Promise<ScaledPage> {
  guardPixels(header.width, header.height, 'jpeg', maxPixels, 0);
  const shown = displayedSize(header);
  const wanted = scale.size(shown.width, shown.height);
  const srgbProfile = isSrgbProfile(header.icc);
  const turbo = await jpegTurboScaled(bytes, header, wanted, scale.kernel, srgbProfile);
  if (turbo) return turbo;
  const decoder: Decoder = (failOn) =>
    sharp(bytes, { failOn, limitInputPixels: maxPixels, ignoreIcc: srgbProfile });
  return decodeAtSize(decoder, 'jpeg', shown.width, shown.height, wanted, scale.kernel);
}

/**
 * The first page of an upload decoded at the size `scale` picks, as `readImageFile(…)` then
 * `decodeScaled(scale)` give it. A JPEG whose header reads plainly (`readJpegHeader`) skips the
 * separate libvips open that reads the header: about 1 ms of CPU and a round trip through the thread
 * pool per image, on the path of every detection.
 */
export async function decodeFirstPageScaled(
  bytes: Buffer,
  maxPixels: number,
  scale: PageScale,
): Promise<ScaledPage & { format: ImageFormat }> {
  const format = supportedFormat(bytes);
  const jpeg = format === 'jpeg' ? readJpegHeader(bytes) : null;
  if (jpeg) return { ...(await jpegScaled(bytes, jpeg, maxPixels, scale)), format };
  const file = await (format === 'bmp' ? bmpFile(bytes, maxPixels) : sharpFile(bytes, format, maxPixels));
  return { ...(await file.decodeScaled(scale)), format };
}

/**
 * Sniffs an upload's real format (its name and declared media type are not trusted) and reads its
 * first header, refusing non-images and unreadable headers with typed errors.
 */
export async function readImageFile(bytes: Buffer, maxPixels: number): Promise<ImageFile> {
  const format = supportedFormat(bytes);
  return format === 'bmp' ? bmpFile(bytes, maxPixels) : sharpFile(bytes, format, maxPixels);
}

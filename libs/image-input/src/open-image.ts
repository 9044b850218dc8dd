import { GantryError } from '@gantry/contracts';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { decodeBmp, readBmpSize } from './decode-bmp.js';
import { type ImageFormat, sniffImageFormat } from './sniff-image-format.js';

export interface OpenImageOptions {
  /** Largest width × height accepted; checked from the header, before any pixel is decoded. */
  maxPixels: number;
}

export interface OpenedImage {
  /**
   * The first frame or page, turned upright by its EXIF orientation, 8-bit sRGB with three channels
   * (alpha flattened onto white). Already decoded, so it cannot fail on bad pixel data any more; a sharp
   * instance feeds one output, so `clone()` it for each pipeline.
   */
  image: Sharp;
  /** Size as displayed, after the EXIF orientation. */
  width: number;
  height: number;
  format: ImageFormat;
  /** Frames (GIF, WebP) or pages (TIFF) in the file; only the first is decoded. */
  pages: number;
}

const supportedFormats: readonly ImageFormat[] = ['png', 'jpeg', 'tiff', 'webp', 'gif', 'bmp', 'avif'];
const supported = supportedFormats.join(', ');

// 'error' rejects truncated and corrupt pixel data; 'warning' would also refuse files that every
// viewer shows, such as JPEGs with stray bytes between markers.
const failOn = 'error';

function guardPixels(width: number, height: number, format: ImageFormat, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new GantryError(
      'MEDIA_TOO_LARGE',
      `The ${format} image is ${width}×${height} (${width * height} pixels), over the limit of ${maxPixels} pixels`,
      { details: { width, height, pixels: width * height, max_pixels: maxPixels } },
    );
  }
}

function corrupt(format: ImageFormat, cause: unknown): GantryError {
  const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new GantryError('MEDIA_CORRUPT', `The ${format} file could not be decoded (${reason})`, {
    details: { format },
    cause,
  });
}

/** An undecoded pipeline over the first frame, its size already checked against the limit. */
interface Source {
  pipeline: Sharp;
  pages: number;
}

async function sharpSource(bytes: Buffer, format: ImageFormat, maxPixels: number): Promise<Source> {
  // Header only: libvips reads no pixel data for metadata, so a decompression bomb is refused here.
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { failOn, limitInputPixels: false }).metadata();
  } catch (error) {
    throw corrupt(format, error);
  }
  guardPixels(metadata.width, metadata.height, format, maxPixels);
  return {
    pipeline: sharp(bytes, { failOn, limitInputPixels: maxPixels, page: 0, pages: 1 }),
    pages: metadata.pages ?? 1,
  };
}

function bmpSource(bytes: Buffer, maxPixels: number): Source {
  const size = readBmpSize(bytes);
  if (!size) throw corrupt('bmp', new Error('the header is cut short or declares no pixels'));
  guardPixels(size.width, size.height, 'bmp', maxPixels);
  try {
    const { data, width, height } = decodeBmp(bytes);
    return { pipeline: sharp(data, { raw: { width, height, channels: 4 } }), pages: 1 };
  } catch (error) {
    throw corrupt('bmp', error);
  }
}

async function decodeUpright(
  source: Source,
  format: ImageFormat,
): Promise<{ data: Buffer; info: OutputInfo }> {
  try {
    return await source.pipeline
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw corrupt(format, error);
  }
}

/**
 * Opens an uploaded image for analysis: sniffs its real format, refuses non-images, oversized and
 * corrupt files with typed errors, and decodes the first frame to upright 8-bit sRGB.
 */
export async function openImage(bytes: Buffer, { maxPixels }: OpenImageOptions): Promise<OpenedImage> {
  if (bytes.length === 0) {
    throw new GantryError('MEDIA_CORRUPT', 'The file is empty', { details: { size: 0 } });
  }
  const format = sniffImageFormat(bytes);
  if (format === 'heic') {
    throw new GantryError(
      'MEDIA_UNSUPPORTED',
      `HEIC images cannot be decoded here; send one of: ${supported}`,
      { details: { format } },
    );
  }
  if (format === null) {
    throw new GantryError(
      'MEDIA_UNSUPPORTED',
      `The file is not an image in a supported format (${supported})`,
      {
        details: { format: null, supported: supportedFormats },
      },
    );
  }

  const source = format === 'bmp' ? bmpSource(bytes, maxPixels) : await sharpSource(bytes, format, maxPixels);
  // Decoding here, once, is what turns truncated pixel data into MEDIA_CORRUPT instead of a late sharp error.
  const { data, info } = await decodeUpright(source, format);
  const { width, height } = info;
  return {
    image: sharp(data, { raw: { width, height, channels: 3 } }),
    width,
    height,
    format,
    pages: source.pages,
  };
}

import type { EnhanceStep, ImageStatistics, VisionEnhanceInput } from '@gantry/contracts';
import { openImage } from '@gantry/image-input';
import sharp, { type Sharp } from 'sharp';
import { orientationTurn, orientStored, swapsSides } from './exif-orientation.js';
import { imageStatistics, measureImage, type RawImage } from './image-statistics.js';

export type EnhanceOptions = Omit<VisionEnhanceInput, 'file'> & { signal?: AbortSignal };

export interface Enhanced {
  bytes: Buffer;
  format: VisionEnhanceInput['format'];
  mediaType: string;
  before: ImageStatistics;
  after: ImageStatistics;
  steps: EnhanceStep[];
}

export interface ImageEnhancer {
  enhance(bytes: Buffer, options: EnhanceOptions): Promise<Enhanced>;
}

/** A colour cast this far from neutral (0..1, ~5 levels of 255) is corrected; less is left alone. */
const castThreshold = 0.025;
/** White-balance gains are kept within this range. */
const maxGain = 1.6;
/** Luminance spread under this is a flat photo: its levels are stretched. */
const flatContrast = 0.17;
/** Mean luminance under this is a dark photo: it is brightened with a gamma curve. */
const darkBrightness = 0.36;
/** Where the gamma curve moves a dark photo's mean luminance. */
const targetBrightness = 0.46;
/** Noise sigma (8-bit levels) above which a median filter runs. */
const noisySigma = 6;
/** Laplacian variance under which an image counts as soft and is sharpened. */
const softSharpness = 250;
/** The largest upscaling factor. */
const maxUpscale = 4;

const mediaTypes = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' } as const;

const toSharp = (image: RawImage): Sharp =>
  sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
    limitInputPixels: false,
  });

async function toRaw(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 };
}

/** A 256-entry gamma curve applied to the colour channels, alpha untouched. */
function applyGamma(image: RawImage, exponent: number): RawImage {
  const curve = Uint8Array.from({ length: 256 }, (_, v) => Math.round(255 * (v / 255) ** exponent));
  const data = Buffer.from(image.data);
  for (let i = 0; i < data.length; i++) {
    if (image.channels === 4 && i % 4 === 3) continue;
    data[i] = curve[data[i] ?? 0] ?? 0;
  }
  return { ...image, data };
}

/** libvips' sample formats as bits per sample. */
const bitsPerSample: Record<string, number> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
  double: 64,
};

const channelCount = (channels: number) => `${channels} channel${channels === 1 ? '' : 's'}`;

/**
 * The `vision.enhance` pipeline on sharp (libvips). The input is decoded by `@gantry/image-input`
 * (format sniffed, pixel limit checked before decoding) to 8-bit sRGB through its ICC profile (CMYK,
 * 16-bit, grey and grey+alpha included), alpha kept: that pass is the colour_space step, decoding
 * included. It is left as stored, so that auto_orient is a pass of its own, timed as such. Each later
 * step first measures whether it is needed, runs only then, and reports what it moved; the output is
 * encoded without any metadata (EXIF, XMP, ICC: sRGB is the default every viewer assumes).
 */
export function createImageEnhancer({ maxPixels }: { maxPixels: number }): ImageEnhancer {
  return {
    async enhance(bytes, options) {
      const steps: EnhanceStep[] = [];
      const timed = async <T>(work: () => Promise<T>) => {
        options.signal?.throwIfAborted();
        const started = performance.now();
        const result = await work();
        return { result, ms: Math.round((performance.now() - started) * 10) / 10 };
      };
      const skip = (name: EnhanceStep['name'], detail: string) =>
        steps.push({ name, applied: false, detail, duration_ms: 0, changed: {} });
      const moved = (keys: (keyof ImageStatistics)[], before: ImageStatistics, after: ImageStatistics) =>
        Object.fromEntries(keys.map((key) => [key, { before: before[key], after: after[key] }]));

      const decoded = await timed(async () => {
        const opened = await openImage(bytes, { maxPixels, alpha: 'keep', orient: false });
        return { opened, raw: await toRaw(opened.image) };
      });
      const source = decoded.result.opened.metadata;
      let image = decoded.result.raw;
      const sourceBits = bitsPerSample[source.depth];
      const converted =
        source.space !== 'srgb' ||
        sourceBits !== 8 ||
        source.iccProfile === 'other' ||
        source.channels !== image.channels;
      steps.push({
        name: 'colour_space',
        applied: converted,
        detail: converted
          ? `decoded from ${source.space}, ${sourceBits ?? source.depth}-bit, ${channelCount(source.channels)}` +
            `${source.iccProfile === 'other' ? ', through its ICC profile' : ''} to sRGB, 8-bit, ${channelCount(image.channels)}`
          : `decoded: 8-bit sRGB already${source.iccProfile === 'srgb' ? ' (its ICC profile is sRGB: not applied)' : ''}`,
        duration_ms: decoded.ms,
        changed: {
          ...(sourceBits !== undefined && sourceBits !== 8
            ? { bits_per_sample: { before: sourceBits, after: 8 } }
            : {}),
          ...(source.channels === image.channels
            ? {}
            : { channels: { before: source.channels, after: image.channels } }),
        },
      });

      const { orientation } = source;
      const turn = orientationTurn(orientation);
      if (!turn) skip('auto_orient', 'stored upright (no EXIF orientation)');
      else {
        const stored = image;
        const { result, ms } = await timed(() => toRaw(orientStored(toSharp(stored), orientation)));
        image = result;
        steps.push({
          name: 'auto_orient',
          applied: true,
          detail: `EXIF orientation ${orientation}: ${turn}${swapsSides(orientation) ? ', width and height swapped' : ''}`,
          duration_ms: ms,
          changed: {
            orientation: { before: orientation, after: 1 },
            ...(swapsSides(orientation)
              ? {
                  width: { before: stored.width, after: image.width },
                  height: { before: stored.height, after: image.height },
                }
              : {}),
          },
        });
      }
      const before = await imageStatistics(image);
      let current = before;

      const run = async (
        name: EnhanceStep['name'],
        keys: (keyof ImageStatistics)[],
        detail: string,
        work: () => Promise<RawImage>,
      ) => {
        const { result, ms } = await timed(async () => {
          const next = await work();
          return { next, stats: await imageStatistics(next) };
        });
        steps.push({
          name,
          applied: true,
          detail,
          duration_ms: ms,
          changed: moved(keys, current, result.stats),
        });
        image = result.next;
        current = result.stats;
      };

      if (!options.white_balance) skip('white_balance', 'not asked for');
      else if (current.colour_cast < castThreshold)
        skip('white_balance', `no colour cast (${current.colour_cast})`);
      else {
        const { neutral } = await measureImage(image);
        const means = neutral ?? [1, 1, 1];
        const grey = (means[0] + means[1] + means[2]) / 3;
        const gains = means.map((m) => Math.min(maxGain, Math.max(1 / maxGain, grey / Math.max(m, 1))));
        const label = gains.map((g) => g.toFixed(2)).join(', ');
        await run(
          'white_balance',
          ['colour_cast'],
          `gains R, G, B ${label}, from the near-neutral pixels`,
          () =>
            toRaw(
              toSharp(image).linear(
                image.channels === 4 ? [...gains, 1] : gains,
                image.channels === 4 ? [0, 0, 0, 0] : [0, 0, 0],
              ),
            ),
        );
      }

      if (!options.exposure) skip('exposure', 'not asked for');
      else if (current.contrast >= flatContrast && current.brightness >= darkBrightness) {
        skip(
          'exposure',
          `neither flat (contrast ${current.contrast}) nor dark (brightness ${current.brightness})`,
        );
      } else {
        const flat = current.contrast < flatContrast;
        const details: string[] = [];
        await run('exposure', ['brightness', 'contrast'], '', async () => {
          let next = image;
          if (flat) {
            // Levels stretched between the 1st and 99th percentile of luminance, hue kept.
            next = await toRaw(toSharp(next).normalise({ lower: 1, upper: 99 }));
            details.push('levels stretched (1st–99th percentile)');
          }
          const { brightness } = await imageStatistics(next);
          if (brightness < darkBrightness) {
            const exponent = Math.max(0.4, Math.log(targetBrightness) / Math.log(Math.max(brightness, 0.01)));
            next = applyGamma(next, exponent);
            details.push(`gamma ${(1 / exponent).toFixed(2)}`);
          }
          return next;
        });
        const last = steps.at(-1);
        if (last) last.detail = details.join(', ') || 'levels already full';
      }

      if (!options.denoise) skip('denoise', 'not asked for');
      else if (current.noise < noisySigma) skip('denoise', `noise sigma ${current.noise} is low`);
      else {
        await run('denoise', ['noise', 'sharpness'], 'median 3×3', () => toRaw(toSharp(image).median(3)));
      }

      const longSide = Math.max(image.width, image.height);
      let upscaled = false;
      if (options.upscale_to === 0) skip('upscale', 'not asked for');
      else if (longSide >= options.upscale_to)
        skip('upscale', `long side ${longSide} px already ≥ ${options.upscale_to}`);
      else {
        const factor = Math.min(maxUpscale, options.upscale_to / longSide);
        const width = Math.round(image.width * factor);
        const height = Math.round(image.height * factor);
        await run('upscale', ['width', 'height', 'sharpness'], `Lanczos-3 ×${factor.toFixed(2)}`, () =>
          toRaw(toSharp(image).resize(width, height, { kernel: 'lanczos3', fit: 'fill' })),
        );
        upscaled = true;
      }

      if (!options.sharpen) skip('sharpen', 'not asked for');
      else if (!upscaled && current.sharpness >= softSharpness)
        skip('sharpen', `already sharp (${current.sharpness})`);
      else {
        await run('sharpen', ['sharpness', 'noise'], 'unsharp mask σ 1', () =>
          toRaw(toSharp(image).sharpen({ sigma: 1 })),
        );
      }

      const after = current;
      const { result: encoded, ms } = await timed(() => {
        let pipeline = toSharp(image);
        // JPEG has no alpha: flattened onto white, as viewers show it.
        if (options.format === 'jpeg' && image.channels === 4)
          pipeline = pipeline.flatten({ background: '#ffffff' });
        // sharp's PNG takes `quality` as a request for a lossy palette: PNG gets none.
        return (
          options.format === 'png'
            ? pipeline.png()
            : pipeline.toFormat(options.format, { quality: options.quality })
        ).toBuffer();
      });
      steps.push({
        name: 'encode',
        applied: true,
        detail: `${options.format}${options.format === 'png' ? '' : ` quality ${options.quality}`}, metadata stripped`,
        duration_ms: ms,
        changed: { bytes: { before: bytes.length, after: encoded.length } },
      });
      return {
        bytes: encoded,
        format: options.format,
        mediaType: mediaTypes[options.format],
        before,
        after,
        steps,
      };
    },
  };
}

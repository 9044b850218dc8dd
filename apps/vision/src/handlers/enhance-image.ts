import type { VisionEnhance } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { ImageEnhancer } from '../engine/image-enhancer.js';

/** `vision.enhance`: blob → sharp pipeline → a new blob of the job's tenant, with what each step changed. */
export const enhanceImage: Handler<typeof VisionEnhance, { enhancer: ImageEnhancer }> = async (
  { file, ...options },
  ctx,
  { enhancer },
) => {
  const { bytes, format, before, after, steps } = await enhancer.enhance(await ctx.readBlob(file), {
    ...options,
    signal: ctx.signal,
  });
  const stem = (file.filename ?? 'image').replace(/\.[^.]*$/, '');
  const stored = await ctx.writeBlob(bytes, {
    filename: `${stem}-enhanced.${format === 'jpeg' ? 'jpg' : format}`,
  });
  return { file: stored, format, before, after, steps };
};

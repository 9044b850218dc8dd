import type { VisionTags } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { ImageTagger } from '../engine/image-tagger.js';

/** `vision.tags`: blob → labels from detection, EXIF, colours and quality measures. */
export const tagImage: Handler<typeof VisionTags, { tagger: ImageTagger }> = async (input, ctx, { tagger }) =>
  tagger.tag(await ctx.readBlob(input.file), { minScore: input.min_score, signal: ctx.signal });
